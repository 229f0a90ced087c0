<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1">
<context>
    <name>cropseg</name>
    <message>
        <source>Crop segmentation</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Edit a Copy in the Model Designer…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Class raster</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The class raster to assess (from Classify raster or Denoise and vectorize).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Reference polygons or points</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Reference polygons (rasterized onto the map grid) or points (read at their pixel), not used for training.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Reference class field</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Integer or text class field of the reference layer; text values are matched to the map's class names.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Reference raster</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>A reference class raster instead of a layer; resampled by nearest neighbour onto the map grid when the grids differ (the report warns).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Class mapping</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Comma-separated reference=map pairs for references coded differently, for example: winter wheat=wheat,grass=fallow,7=2.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Sampling</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>census: every labelled pixel counts. stratified: points are a stratified random sample; areas and accuracies are estimated with 95% intervals. Empty: stratified for points, census otherwise.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Give the option's name ({}); option numbers are not accepted.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Model file (to check training overlap)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The model that made the map: the report says prominently how much of the reference lies where its training pixels came from.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>F-beta weight of recall</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>beta of the F-beta score: 1 gives F1, 2 weighs recall higher (as the Planet Amazon contest did).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Report (HTML)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The report for people: tables, charts, inputs and the command to rerun it.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Figures (JSON)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Every figure, machine-readable, with a schema version.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Confusion matrix (CSV)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The confusion matrix with a header row and column naming the map and reference axes.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Overall accuracy</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Kappa</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>F1 macro</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>F1 of crop</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Accuracy report</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Assessment</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Compares a class raster with reference data that were not used for training and writes the figures a reviewer asks for: confusion matrix (rows are the map, columns the reference), precision (user's accuracy), recall (producer's accuracy), F1, F-beta, support, overall accuracy, Cohen's kappa, macro and weighted averages, and a crop vs non-crop summary when the map names its crop classes.&lt;br&gt;&lt;br&gt;&lt;b&gt;census&lt;/b&gt; (default for polygons and rasters): every labelled pixel counts. &lt;b&gt;stratified&lt;/b&gt; (default for points): the points are a stratified random sample over the map classes (see Stratified sample) and the estimators of Olofsson et al. (2014) give area-weighted accuracies and the area of every class in hectares, with 95% confidence intervals.&lt;br&gt;&lt;br&gt;Pixels that are nodata in the map or unlabelled in the reference are left out and counted in the report. Outputs: HTML for people, JSON with every figure and CSV with the confusion matrix for machines.&lt;br&gt;Example: &lt;i&gt;classes.tif&lt;/i&gt; + &lt;i&gt;reference_fields.gpkg&lt;/i&gt; (field &lt;i&gt;crop_type&lt;/i&gt;) &amp;rarr; &lt;i&gt;accuracy.html&lt;/i&gt;.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Missing or broken packages</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Install command</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Check dependencies</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Set-up</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Lists every Python package cropseg uses with the version the running QGIS imports, and for each missing or broken one the exact command that installs it for this QGIS: &lt;i&gt;apt&lt;/i&gt; and pip on Debian and Ubuntu, pip in the OSGeo4W Shell on Windows, pip of QGIS's own Python on macOS. Run it after installing the plugin or when an algorithm says a package is missing; it changes nothing. An optional package (dask[distributed], for &lt;i&gt;Classify rasters in batch&lt;/i&gt;) is listed with its command but not counted as missing.&lt;br&gt;&lt;br&gt;Example: run it with no parameters; the log lists &lt;i&gt;numpy 2.2.4&lt;/i&gt;, ... and MISSING is 0 when everything is in place.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Rasters to classify</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Rasters with the same bands as the training raster; file names must differ, as outputs are named after them.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Model file</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>A .cropseg model file written by 'Train pixel classifier from vector labels'.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Dask scheduler address</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Address of a running Dask scheduler, for example tcp://10.0.0.5:8786, whose workers can read the rasters and OUTPUT_FOLDER at the same paths. Empty: start WORKERS worker processes on this machine.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Local worker processes</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>How many worker processes to start on this machine when SCHEDULER is empty; each classifies one task at a time on one core.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Tile size (px)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Rasters wider or taller than this are cut into tiles of this size, one task each, so that one large raster keeps every worker busy. 0: every raster is one task.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Mosaic of tiled rasters</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>What is built from the tiles of a tiled raster: a VRT that reads them as one raster, or also one Cloud Optimized GeoTIFF.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>A VRT mosaic of the tiles</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>A VRT mosaic and one Cloud Optimized GeoTIFF built from it</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Memory budget (MB)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Working memory in MB. Rasters are processed block by block within it, so peak memory does not grow with the raster size.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Output folder</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Where each raster's class and confidence rasters (or tiles and mosaics), the summary and the batch's state file go. Use the same folder to resume.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Summary table</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>A CSV table with one row per raster: status, tasks, tasks skipped, outputs, seconds and the error of a raster that failed. Default: batch_summary.csv in OUTPUT_FOLDER.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Class rasters</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Rasters classified</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Rasters that failed</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Classify rasters in batch</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Classification</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Classifies many rasters with one model as tasks on a Dask cluster: the worker processes of this machine, or the workers of a running scheduler on other machines. A raster larger than TILE_SIZE is cut into tiles that run as separate tasks and are read as one raster through a VRT mosaic (and, if asked, one Cloud Optimized GeoTIFF).&lt;br&gt;&lt;br&gt;Each task writes its outputs whole or not at all and a task already done is skipped, so running again with the same model and folder resumes an interrupted batch. A raster that fails is named in the summary table while the others finish; a worker that dies is replaced and its task run again. Outputs are the class and confidence rasters of &lt;i&gt;Classify raster&lt;/i&gt;, pixel for pixel.&lt;br&gt;&lt;br&gt;Needs the optional package dask[distributed] (see &lt;i&gt;Check dependencies&lt;/i&gt;).&lt;br&gt;Example: sixteen scenes + &lt;i&gt;crop.cropseg&lt;/i&gt;, 2 workers &amp;rarr; &lt;i&gt;&amp;lt;scene&amp;gt;_classes.tif&lt;/i&gt; and &lt;i&gt;&amp;lt;scene&amp;gt;_confidence.tif&lt;/i&gt; for each, and &lt;i&gt;batch_summary.csv&lt;/i&gt;.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Input raster (one date)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Raster to classify, with the same bands as the training raster. Leave empty when TIME_STACK is given.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Time stack (several dates)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>For a model trained on a time stack: the same number of dates, with the same bands, in the same season. Rasters of two or more dates with the same bands, with the date in each file name (YYYY-MM-DD or YYYYMMDD; otherwise list them in date order). They are read on the grid of the first date; other grids and CRSs are warped onto it.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Cloud masks (one per raster)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Optional clear-sky masks, one per raster of INPUT_RASTER or TIME_STACK, listed in the same order. Masked pixels of a date are filled in time from the other dates.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Mask type</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>How MASKS mark clear pixels: PlanetScope UDM2 (band 1 = 1), Sentinel-2 SCL (vegetation, bare, water or snow), or any raster where non-zero is clear.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>PlanetScope UDM2 (band 1 'clear')</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Sentinel-2 scene classification (SCL)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Any raster: non-zero is clear</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Classes</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Class raster: uint8, nodata 255, paletted with the class names and colours.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Confidence</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Probability of the chosen class (0..1, float32, nodata -1).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Class probabilities</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>One float32 band per class with its probability (nodata -1).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Classify raster</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Classifies every pixel of a raster with a model trained by &lt;i&gt;Train pixel classifier from vector labels&lt;/i&gt;. Works block by block within a memory budget, so rasters of any size can be classified; all processor cores are used.&lt;br&gt;&lt;br&gt;Outputs: a class raster (uint8 GeoTIFF, nodata 255, colour table, class names and crop classes stored in the file), and optionally the confidence (probability of the chosen class, 0..1) and one probability band per class. A pixel that is nodata in any band the model uses is nodata in every output.&lt;br&gt;&lt;br&gt;The raster must have the same bands, in the same order, as the training raster; a model trained on a time stack needs a time stack of as many dates (and cloud masks when it was trained with them).&lt;br&gt;Example: &lt;i&gt;scene.tif&lt;/i&gt; + &lt;i&gt;crop.cropseg&lt;/i&gt; &amp;rarr; &lt;i&gt;classes.tif&lt;/i&gt;, &lt;i&gt;confidence.tif&lt;/i&gt;.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Integer class raster, typically the Classes output of Classify raster.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Confidence raster</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Optional confidence raster on the same grid; each polygon gets its mean.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Crop classes</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Comma-separated class values or names forming the crop mask. Empty: the crop classes stored in the class raster by Classify raster.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Keep</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>crop: clean the crop mask and vectorize crop fields. all: keep every class (CROP_CLASSES empty, no opening or closing); the median becomes a majority filter, small patches take the class they border most, and every class is vectorized with its own value and name.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Median filter size (pixels)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Odd window side in pixels of the median (majority) filter; 0 or 1 switches it off.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Opening radius (pixels)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Morphological opening: removes crop parts thinner than twice this radius. 0 = off.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Closing radius (pixels)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Morphological closing: fills gaps narrower than twice this radius. 0 = off.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Minimum mapping unit (hectares)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Crop patches smaller than this are removed and holes smaller than this inside crop patches are filled. In hectares, so one value works at any pixel size.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Simplify tolerance (map units)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Douglas-Peucker tolerance in map units (metres for projected rasters); 0 keeps the exact pixel edges. Shared borders stay shared: no gaps or overlaps.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Cleaned crop mask</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>uint8 GeoTIFF: 1 crop, 0 non-crop, 255 nodata (with KEEP_CLASSES all: the cleaned classes).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Field polygons</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Crop polygons in the raster CRS, as GeoPackage (.gpkg), Shapefile (.shp; field names cut to 10 characters), GeoJSON (.geojson) or FlatGeobuf (.fgb) by the file name's extension.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Denoise and vectorize crop mask</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Post-processing</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Removes the speckle of a pixel classification and traces the crop patches as polygons a field register can use.&lt;br&gt;&lt;br&gt;The crop classes of the class raster form a mask (1 crop, 0 non-crop, 255 nodata). A median (majority) filter removes single pixels and thin noise while keeping the road lines between fields; an optional opening removes thin crop protrusions and a closing fills narrow gaps. The minimum mapping unit removes crop patches smaller than MIN_AREA and fills holes smaller than it inside crop patches (holes touching nodata or the raster edge are kept).&lt;br&gt;&lt;br&gt;Polygons follow the pixel edges exactly (rasterizing them gives the cleaned mask back), holes are interior rings, and fields crossing processing blocks come out whole. Attributes: id, class value and name, area in hectares, perimeter in metres and, with a confidence raster, the mean confidence.&lt;br&gt;&lt;br&gt;Example: &lt;i&gt;classes.tif&lt;/i&gt; + &lt;i&gt;confidence.tif&lt;/i&gt;, median 5, minimum area 0.5 ha &amp;rarr; &lt;i&gt;crop_mask.tif&lt;/i&gt;, &lt;i&gt;fields.gpkg&lt;/i&gt;.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Scene ids</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Comma-separated PlanetScope scene ids; or give SCENE_LAYER.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Scene footprints</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>A footprint layer from Search PlanetScope scenes (field id); selected features only when a selection exists.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Bundle</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>analytic_sr_udm2: surface reflectance + UDM2; analytic_udm2: radiance + UDM2 + metadata (for PlanetScope to reflectance).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Clip to area of interest</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Polygons to clip the scenes to on Planet's side (smaller downloads).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Harmonize to Sentinel-2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Ask Planet to harmonize the scenes' radiometry to Sentinel-2.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Order name</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Name of the order; the same name and folder reuse an earlier order.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Seconds between status checks</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>How often the order's state is checked while waiting.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Longest wait for the order (minutes)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Waiting stops with an error after this long; the order goes on at Planet, and running again with the same ORDER_NAME and OUTPUT_FOLDER downloads it.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Planet API key (authentication)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>A QGIS authentication configuration with the Planet API key; empty: the PL_API_KEY environment variable.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Where the order's files are downloaded.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Downloaded files</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Order id</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Order PlanetScope scenes</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>PlanetScope</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Orders PlanetScope scenes from Planet's Orders API, waits for the order with progress, and downloads every file into the output folder, each verified against the order's manifest checksum (a bad transfer is retried once, then reported).&lt;br&gt;&lt;br&gt;Scenes come as ids in SCENES or from a footprint layer made by &lt;i&gt;Search PlanetScope scenes&lt;/i&gt; (only the selected features when a selection exists). analytic_sr_udm2 delivers surface reflectance with UDM2; analytic_udm2 radiance with UDM2 and the metadata XML. An AOI clips the scenes on Planet's side.&lt;br&gt;&lt;br&gt;Running again with the same order name and folder reuses the order and skips files already complete. Cancel works while waiting and downloading; no partial file is left under a final name.&lt;br&gt;&lt;br&gt;Example: &lt;i&gt;scenes.gpkg&lt;/i&gt; from &lt;i&gt;Search PlanetScope scenes&lt;/i&gt; with two features selected, bundle analytic_sr_udm2, AOI &lt;i&gt;fields.gpkg&lt;/i&gt; &amp;rarr; the clipped surface reflectance scenes and their UDM2 masks in the output folder.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>PlanetScope scene</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>A PSScene AnalyticMS (radiance) or AnalyticMS_SR (surface reflectance) GeoTIFF, 4 or 8 bands.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Scene metadata XML</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The scene's *_metadata.xml with the reflectance coefficients; needed for radiance products.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>UDM2 cloud mask</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The scene's 8-band UDM2 file on the same grid; masks the chosen classes.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>UDM2 classes to mask</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Which UDM2 classes become nodata; not_clear masks every pixel UDM2 does not mark clear.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Product</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>auto: surface reflectance when the file name contains _SR, radiance otherwise.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Reflectance</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>float32 reflectance (0..1), nodata -9999, band names set.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>PlanetScope to reflectance</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Converts a PlanetScope scene to float32 reflectance with named bands (blue, green, red, nir; 8-band: coastal_blue, blue, green_i, green, yellow, red, rededge, nir).&lt;br&gt;&lt;br&gt;Radiance products (AnalyticMS) are multiplied band by band by the reflectanceCoefficient of the scene's metadata XML (top-of-atmosphere reflectance). Surface reflectance products (AnalyticMS_SR) are divided by 10000. A metadata file of another scene or band count is refused.&lt;br&gt;&lt;br&gt;With the scene's UDM2 file, pixels of the chosen classes (not clear, snow, shadow, haze, cloud, unusable) become nodata.&lt;br&gt;Example: &lt;i&gt;..._AnalyticMS_clip.tif&lt;/i&gt; + &lt;i&gt;..._AnalyticMS_metadata_clip.xml&lt;/i&gt; + &lt;i&gt;..._udm2_clip.tif&lt;/i&gt; &amp;rarr; &lt;i&gt;reflectance.tif&lt;/i&gt;.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Area of interest (polygons)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Polygons to search over; or give AOI_EXTENT.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Area of interest (extent)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>An extent to search over when no AOI layer is given.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>From</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>First acquisition date (inclusive).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>To</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Last acquisition date (inclusive).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Maximum cloud cover (%)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Scenes with more cloud cover are left out.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Minimum clear percent</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Optional: scenes with a lower clear percent (UDM2) are left out.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Item type</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Planet item type.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Maximum scenes</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>At most this many scenes are listed.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Footprints in EPSG:4326, best first; GeoPackage, Shapefile, GeoJSON or FlatGeobuf by the file name's extension.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Search PlanetScope scenes</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Searches Planet's catalogue for scenes over an area of interest between two dates, under a cloud cover limit, and writes their footprints with id, acquisition time, cloud cover, clear percent, sun elevation, instrument and the share of the AOI each covers, best first.&lt;br&gt;&lt;br&gt;The API key comes from AUTH_CONFIG (a QGIS authentication configuration holding the key, for example an API header or the user name of a basic configuration) or the PL_API_KEY environment variable; it is never written to logs or outputs. The CROPSEG_PLANET_URL environment variable points the search at another host (proxy, mirror).&lt;br&gt;Example: &lt;i&gt;fields.gpkg&lt;/i&gt;, 2017-06-01 to 2017-10-01, cloud &amp;lt; 10% &amp;rarr; &lt;i&gt;scenes.gpkg&lt;/i&gt;; select scenes and run &lt;i&gt;Order PlanetScope scenes&lt;/i&gt;.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The map to assess; its classes are the strata.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Target standard error of overall accuracy</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Standard error of the overall accuracy the sample should reach (0.01 = one percentage point).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Expected user's accuracy</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Expected user's accuracy of classes not listed in EXPECTED_UA (0..1).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Expected user's accuracy per class</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Comma-separated class=accuracy pairs (class value or name), for example wheat=0.7,3=0.9. Lower values for rare or hard classes give them more points.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Minimum points per class</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Every class gets at least this many points (or all its pixels).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Random seed</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The same seed draws the same points.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Sample points</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Points with id, map_value, map_class and an empty reference field; GeoPackage, Shapefile, GeoJSON or FlatGeobuf by the file name's extension.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Stratified sample for accuracy assessment</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Draws random points over a class raster, stratified by map class, for an accuracy assessment with area estimates (Olofsson et al. 2014).&lt;br&gt;&lt;br&gt;The total sample size comes from the target standard error of overall accuracy and the expected user's accuracy of each class (Cochran's formula); it is allocated in proportion to the mapped area and every class gets at least MIN_PER_CLASS points. Each point has the map class and an empty &lt;i&gt;reference&lt;/i&gt; field: fill it in from imagery or a field visit, then run &lt;i&gt;Accuracy report&lt;/i&gt; with SAMPLING stratified.&lt;br&gt;&lt;br&gt;Example: &lt;i&gt;classes.tif&lt;/i&gt;, target standard error 0.01, wheat=0.7 &amp;rarr; &lt;i&gt;sample.gpkg&lt;/i&gt;.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Dated rasters</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Two or more rasters with the same bands and the date in each file name. Several rasters on one day are allowed (their clear pixels are pooled).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Period</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Calendar months (default), or consecutive spans of PERIOD_DAYS days starting at the first date.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Calendar month</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Fixed number of days (PERIOD_DAYS)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Days per period</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Length of each period when PERIOD is a fixed number of days.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Bands (default: all)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Comma-separated band numbers to composite, for example 1,2,3,4. Empty: every band.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Composite</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>float32 GeoTIFF, one band per period and band named &lt;band&gt;_&lt;period&gt;, nodata -9999.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Number of periods</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Temporal composite</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Time series</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Turns a series of dated rasters (for example every PlanetScope or Sentinel-2 scene of a season) into one composite per period: the median of the clear observations of each pixel in each calendar month, or in spans of N days from the first date.&lt;br&gt;&lt;br&gt;Pixels with no clear observation in a period (clouds, no scene that month) are filled by linear interpolation in time between the neighbouring periods; the first and last periods take the nearest value. Pixels never observed clear are nodata (-9999).&lt;br&gt;&lt;br&gt;The output is one float32 GeoTIFF with one band per period and band, named &lt;i&gt;&amp;lt;band&amp;gt;_&amp;lt;period&amp;gt;&lt;/i&gt; (for example &lt;i&gt;nir_2024-06&lt;/i&gt;), on the grid of the earliest raster; it can be used directly as the input raster of &lt;i&gt;Train pixel classifier&lt;/i&gt;.&lt;br&gt;&lt;br&gt;The date of each raster is read from its file name (YYYY-MM-DD or YYYYMMDD). Works block by block in bounded memory.&lt;br&gt;Example: twelve &lt;i&gt;2024MMDD_..._SR.tif&lt;/i&gt; scenes with their UDM2 files &amp;rarr; &lt;i&gt;monthly.tif&lt;/i&gt; with 4 bands x 6 months.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Multiband raster with a CRS (PlanetScope, Sentinel-2, Landsat, aerial). Leave empty when TIME_STACK is given.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Features are computed for every date (masked pixels filled in time) and each index is summarised over the season (min, max, mean, amplitude, day of maximum). Rasters of two or more dates with the same bands, with the date in each file name (YYYY-MM-DD or YYYYMMDD; otherwise list them in date order). They are read on the grid of the first date; other grids and CRSs are warped onto it.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Bands used as features, in order (for a time stack: of every date). Empty: every band.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Spectral indices</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Indices added to the band values: NDVI, NDWI, GNDVI, EVI, SAVI, MSAVI. Their bands come from the band names (Blue, red_665, nir (842 nm), Sentinel-2 B04, Landsat SR_B4, ...) or BAND_ROLES. Setting any sets the features by hand.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Band roles</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>role=band pairs for the indices when band names do not tell, for example blue=1,green=2,red=3,nir=4.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Neighbourhood windows (pixels)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Comma-separated odd window sizes, for example 3,5: each adds the mean and standard deviation of every band and index over that window around the pixel (spatial context; computed block-wise without seams). Setting any sets the features by hand.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Choose features by validation</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Compare bands only, bands with NDVI, NDWI and EVI (where band roles are known) and neighbourhood windows at two scales suited to the pixel size, on the validation folds, and keep the best. Off, or with INDICES or CONTEXT set: use exactly the features given.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Labels</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Label polygons or points, any CRS; reprojected to the raster and clipped to it. Only selected features are used when 'selected features only' is ticked.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Label field (empty: crop mode)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Integer (0..254) or text class field. Empty: crop mode, every feature is 'crop' and other valid pixels in the AOI are 'non-crop'.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Area of interest for non-crop pixels (crop mode)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Crop mode only: the area whose unlabelled pixels are non-crop. Default: the raster extent.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Crop classes (class mode)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Comma-separated class values or names that count as crop, stored in the model and in class rasters (for example: wheat,cotton). Crop mode sets this itself.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Classifier</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Random forest (default), XGBoost, or K-nearest neighbours on standardised band values.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Random forest</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>XGBoost</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>K-nearest neighbours</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Validation</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>How pixels are split into folds. Grouped keeps each label feature in one fold; spatial blocks keep squares of the raster together; random pixels is optimistic.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Grouped by label feature (no leakage)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Spatial blocks</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Random pixels (optimistic)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Folds</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Number of cross-validation folds (2..20).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Tune parameters</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Also compare the classifier's settings on the chosen features (trees and depth for random forest; depth and learning rate for XGBoost; k for KNN).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Time budget for comparing (s)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Seconds from the start (sampling included) within which features and settings are compared; a candidate that would not fit is listed as not tried, the first is always scored. The final validation and fit follow.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Class balance</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>As labelled: pixels are drawn in the proportions the classes were labelled in (rare classes keep at least 5% of the per-class maximum), which suits maps whose classes are as common as in the labels. Balanced: the same number per class, which favours rare classes.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>As labelled (class proportions of the labels)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Balanced (the same number of pixels per class)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Maximum samples per class</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Pixels drawn at random (seeded) per class: all classes together draw this times the number of classes (balanced: each class up to this).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Edge buffer (pixels)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Pixels within this many pixels of a polygon border are dropped to avoid mixed pixels (points are kept). A polygon too small for it keeps its inner pixels with a narrower buffer.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Seed for sampling, folds and the classifier; the same seed gives the same model.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The trained model (.cropseg): classifier, features, classes and scores.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Training report</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>HTML report: the candidates compared, how each class was validated, scores per fold, confusion matrix, samples per class and feature importances.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Train pixel classifier from vector labels</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Trains a pixel classifier (random forest, XGBoost or K-nearest neighbours) from label polygons or points over a multiband raster, validates it without spatial leakage and writes a model file plus an HTML training report.&lt;br&gt;&lt;br&gt;&lt;b&gt;Crop mode&lt;/b&gt; (no label field): every label polygon is &lt;i&gt;crop&lt;/i&gt; and every other valid pixel inside the area of interest is &lt;i&gt;non-crop&lt;/i&gt;, as in the Planet/AWS crop segmentation workflow.&lt;br&gt;&lt;b&gt;Class mode&lt;/b&gt;: classes come from an integer or text field (text values become ids 1..n in sorted order).&lt;br&gt;&lt;br&gt;Validation is grouped by label feature by default: no field has pixels in both the training and the test folds. A class with fewer features than folds has its larger features cut into spatial blocks; the report says how every class was validated and shows that score next to the optimistic random-pixel score.&lt;br&gt;&lt;br&gt;&lt;b&gt;Features&lt;/b&gt;: by default training compares bands only, bands with spectral indices (where band roles are known) and neighbourhood windows at scales suited to the pixel size, then the classifier's settings, and keeps the best within the time budget. Set INDICES or CONTEXT, or untick &lt;i&gt;Choose features by validation&lt;/i&gt;, to set them by hand. With a &lt;b&gt;time stack&lt;/b&gt; (several dated rasters, optionally with cloud masks) they are computed for every date, masked dates are filled in time, and each index is also summarised over the season. The model records this recipe and &lt;i&gt;Classify raster&lt;/i&gt; rebuilds it from the same kind of inputs.&lt;br&gt;&lt;br&gt;Example: raster &lt;i&gt;planetscope.tif&lt;/i&gt;, labels &lt;i&gt;crop_fields.gpkg&lt;/i&gt;, no label field, AOI &lt;i&gt;train_area.gpkg&lt;/i&gt; &amp;rarr; &lt;i&gt;crop.cropseg&lt;/i&gt;; then run &lt;i&gt;Classify raster&lt;/i&gt; with it.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Cancelled by the user; no output was written.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>{algorithm} failed unexpectedly: {error}. Please report this with the log.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>{name}: '{value}' is not a finite number.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>{}: no raster layer was given.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Give INPUT_RASTER (one date) or TIME_STACK (several dates), not both.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Give INPUT_RASTER (one date) or TIME_STACK (several dates).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>{name}: '{layer}' is not a raster file; save it as a GeoTIFF first.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>{name}: {problem}; optional, for {algorithm}: {command}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>{count} package(s) missing or broken. Install them ({system}) with: {command}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Every package cropseg uses is installed.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>{name}: the layer has no features.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>AUTH_CONFIG: authentication configuration '{auth_id}' cannot be loaded.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>AUTH_CONFIG: configuration '{auth_id}' holds no API key.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>SCENE_LAYER has no 'id' field; use the output of Search PlanetScope scenes.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>already complete: {}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>downloaded: {}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>{} scene(s) found.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Give an AOI layer or an AOI_EXTENT to search over.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source> (below the {chance:.3f} of mapping the largest class alone; the training report says why)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>{mode}: overall accuracy {oa:.3f}, F1 macro {f1:.3f}, kappa {kappa:.3f}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Give either REFERENCE_VECTOR (with REFERENCE_FIELD) or REFERENCE_RASTER as the reference.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>BETA must be greater than 0.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>SAMPLING must be one of {samplings}.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>SAMPLING: stratified estimates need reference points drawn as a stratified random sample (see Stratified sample); use census for polygons and rasters.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The map and the reference share no labelled pixel: check that they overlap and use the same area.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>REFERENCE_FIELD: no reference class ({unmatched}) is a class of the map ({map_classes}); match them with CLASS_MAPPING.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Reference classes that are not classes of the map, counted as errors: {unmatched} (CLASS_MAPPING matches them).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>MODEL: the overlap with the training data could not be checked (the model records no training area, or the reference is a raster).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The reference overlaps the training data of the model: {percent:.1f}% of it lies where training pixels came from, so these figures are optimistic. Use reference data kept apart from training.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>stratum {stratum} has {count} sample(s): its variance cannot be estimated</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>{role} holds more than {max_reference_values} distinct classes; it is not a class reference.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>REFERENCE_FIELD: name the class field of the reference layer.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>REFERENCE_FIELD: the reference layer has no field '{field}' (fields: {fields}).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>REFERENCE_VECTOR must hold only polygons or only points.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>REFERENCE_VECTOR does not overlap the map; check that both cover the same area.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>REFERENCE_RASTER is on another grid; it was resampled onto the map grid by nearest neighbour.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The map and REFERENCE_RASTER share no labelled pixel; check that they overlap.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>CLASS_MAPPING: '{target}' is not a class of the map.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>TARGET_SE must be between 0 and 0.5 (for example 0.01).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>MIN_PER_CLASS must be at least 2: a stratum needs two samples for its variance.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>INPUT_CLASSES has no valid pixel to sample.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>EXPECTED_UA: '{unknown}' is not a class of the map; classes are {classes}.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Sample: {sizes} (formula: {total} in total for a standard error of {target_se:g}).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>EXPECTED_UA: '{given}' for class {key} is not a number.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>EXPECTED_UA: expected user's accuracies must be between 0 and 1 (class {name} has {ua:g}).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>SIMPLIFY cannot be negative.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>{polygons} crop polygon(s), {crop_pixels} crop pixels; {removed} patch(es) removed and {filled} hole(s) filled below {min_area_ha:g} ha ({min_pixels} px).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>KEEP_CLASSES must be one of {keep_classes}.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>CROP_CLASSES must be empty when KEEP_CLASSES is all: every class is kept and vectorized.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>OPENING and CLOSING work on the crop mask; set them to 0 when KEEP_CLASSES is all.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>SIMPLIFY: {vanished} polygon(s) smaller than the tolerance vanished.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>MEDIAN_SIZE must be an odd number of pixels (3, 5, 7...), or 0 to switch the filter off.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>MEDIAN_SIZE can be at most {max_median_size} pixels.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>OPENING and CLOSING are radii in pixels and cannot be negative.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>MIN_AREA cannot be negative.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>MEMORY_MB must be at least 64.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>INPUT_CONFIDENCE must be on the grid of INPUT_CLASSES (same size and position); use the confidence output of the same classification.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>not installed</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>broken: {error}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>cropseg needs Python packages that are missing or broken: {listed}. Install them with: {command}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>{name}: '{path}' must end in {extensions}.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>{name}: '{path}' is a file, not a folder.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>{name}: writing '{path}' would replace {what}; choose another file name.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>{name}: '{existing}' is a file, so '{folder}' cannot be a folder.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>{name}: cannot write in '{existing}' ({strerror}).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Shapefile field names hold at most 10 characters: {renamed}.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>{name}: '{item}' is not a key=value pair.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>{name}: give {example}.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>{name}: '{role}={band}' needs a band number.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Warning: {message}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>INPUT_RASTER has no valid pixel under the labels (all nodata, or the labels only cover nodata areas).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>LABELS: every label is class '{name}'; at least two classes are needed to train a classifier.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>LABELS: class {classes} has fewer than {min_pixels_per_class} valid labelled pixels; add labels or remove the class.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Sampling labelled pixels...</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Samples per class ({class_balance}), sampled/labelled pixels: {counts}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>{narrowed_buffers} polygon(s) too small for the edge buffer kept their inner pixels with a narrower buffer.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Validation of {name}: {how}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Chosen: {features} ({n_feature_names} features), {params_text}: F1 macro {f1_macro:.3f}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>CLASSIFIER must be one of {classifiers}.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>VALIDATION must be one of {validations}.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>CLASS_BALANCE must be one of {balances}.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>FOLDS must be at least 2.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>MAX_SAMPLES_PER_CLASS must be at least 10.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>EDGE_BUFFER cannot be negative.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>TIME_BUDGET must be a positive number of seconds.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Not validated (no score, always in training): {classes}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>overall accuracy {overall_accuracy:.3f} is below {chance:.3f}, what a map of the largest class alone would score (see the training report).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>by label feature: {units} features</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>{features} feature(s) cut into {units} spatial blocks, {gap} px apart: blocks of one field are less independent than fields, so this class's score can be optimistic</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>spatial blocks: in {units} blocks</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>random pixels: {units} pixels (optimistic)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>not validated: {features} feature(s), too few or too small to cut into two blocks; its pixels always train and are never scored</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>VALIDATION: fewer than two classes can be validated (each needs two label features, or one large enough to cut into blocks); add label features or use random-pixel validation.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>MODEL was trained on a time stack of {n_dates} dates; classify time stacks with Classify raster.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>{skipped} task(s) already complete from an earlier run.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>INPUT_RASTERS: give at least one raster.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>INPUT_RASTERS: several rasters are named {name}; their outputs would have the same names.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>WORKERS must be at least 1.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>TILE_SIZE must be 0 (no tiles) or at least {tile} px.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>MOSAIC must be one of {mosaics}.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>OUTPUT_FOLDER holds the outputs of a batch with another model or tile size; choose another folder.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>INPUT_RASTERS: no raster could be classified; {raster}: {error}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>OUTPUT_FOLDER: writing '{path}' would replace an input; choose another folder.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>INPUT_RASTER has no valid pixel (every pixel is nodata in at least one band); nothing to classify.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Classified {width} x {height} px in {n_windows} block(s) of up to {block_width} x {block_height} px, {seconds:.1f} s ({megapixels_per_second:.2f} Mpx/s).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>TIME_STACK dates ({dates}) are up to {shift} days of the year away from the training dates ({training_dates}); accuracy may differ from the validation scores.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>INPUT_RASTER is in {crs} but the model was trained on another CRS; check that the bands mean the same.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>INPUT_RASTER pixels are {width:g} x {height:g} but the model was trained on {training_width:g} x {training_height:g}; accuracy may differ from the validation scores.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>SCHEDULER: cannot reach the Dask scheduler at {address} ({error}).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>failed unexpectedly: {error}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>MODEL: the model file changed on its way to the worker.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>PERIOD_DAYS must be at least 1.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>INPUT_RASTERS: a composite needs the date of every raster in its file name (YYYY-MM-DD or YYYYMMDD).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>INPUT_RASTERS: the dates run from {first} to {last}, which would make {n_bands} output bands (at most {max_bands}); check the dates in the file names, or give longer PERIOD_DAYS.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>{n_rasters} raster(s) composited into {n_periods} period(s) of {n_bands} band(s); {empty} had no raster and were filled in time.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>{n_rasters} raster(s) composited into {n_periods} period(s) of {n_bands} band(s).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>MODEL: '{path}' was modified after it was saved (training area checksum mismatch).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>MODEL: '{path}' has an unreadable training area.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>MODEL: '{path}' does not exist.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>MODEL: '{path}' is not a cropseg model file (not a readable archive).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>MODEL: '{path}' has an oversized member '{name}'.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>MODEL: '{path}' lacks its '{name}' member.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>MODEL: '{path}' is damaged ('{name}' cannot be read).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>MODEL: '{path}' has an unreadable manifest.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>MODEL: '{path}' is not a cropseg model file.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>MODEL: '{path}' was written by a newer cropseg (model format {version}, this version reads up to {format_version}); update cropseg.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>MODEL: '{path}' was modified after it was saved (manifest checksum mismatch); retrain or use the original file.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>MODEL: '{path}' lists {count} classes; a model has 2 to {max_classes}.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>MODEL: '{path}' names an unknown classifier.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>MODEL: '{path}' stores its estimator in an unexpected member.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>MODEL: '{path}' was modified after it was saved (checksum mismatch); retrain or use the original file.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>MODEL: '{path}' has an incomplete manifest ({exc}).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>MODEL: '{path}' holds an XGBoost model this version cannot read ({exc}).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>MODEL: '{path}' has an unreadable estimator.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>MODEL: '{path}' contains types cropseg does not allow ({refused}); the file was not loaded.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>MODEL: '{path}' was saved with scikit-learn {saved_with} and cannot be loaded with {installed} ({exc}); retrain the model.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>TIME_STACK: the model was trained on a single raster; give one raster as INPUT_RASTER.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>INPUT_RASTER: the model was trained on a time stack of {n_dates} dates; give {n_dates} rasters as TIME_STACK.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>TIME_STACK has {dates} dates but the model was trained on {n_dates} ({date_labels}).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>TIME_STACK: the model was trained on dated rasters and uses the day of each date; put the date (YYYY-MM-DD) in every file name.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>MASKS: the model was trained with a cloud mask per date ({mask_kind}); give one mask per raster so clouds are not classified.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>{role} has {count} band(s) but the model was trained on a raster with {n_raster_band_names} ({raster_band_names}).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>{role} band {band} is '{found}' but the model expects '{expected}'; use a raster with the training band order.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The model uses a feature recipe of kind '{kind}' that this version of cropseg does not know; update cropseg.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The model uses indices this version of cropseg does not know ({unknown}); update cropseg.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>INDICES: unknown index {unknown}; choose from {indices}.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>INDICES: {name} needs a '{role}' band; name the raster's bands or set BAND_ROLES, for example blue=1,green=2,red=3,nir=4.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>BAND_ROLES: band {band} for '{role}' does not exist; the raster has {count} band(s).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>CONTEXT: window sizes must be odd numbers of pixels from 3 to 51.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>No Planet API key: choose an authentication configuration (AUTH_CONFIG) or set the {key_variable} environment variable.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>{timeout_variable}: '{value}' is not a number of seconds between 0 and 3600.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>AOI: the area of interest has no area (points or lines); give polygons or AOI_EXTENT.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>{exc} (still after {retries} retries)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Planet limited the request rate</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Planet answered with an error: {error}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Planet rejected the API key; check AUTH_CONFIG or {key_variable}.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Planet answered with an error: {exc}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Planet at {base_url} sent an answer that is not JSON; is {url_variable} the API's address?</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The connection to Planet at {base_url} broke off ({kind})</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Planet request failed: {exc}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Cannot reach Planet at {base_url}: {exc}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>{what} at {base_url} did not answer within {timeout:g} s (the {timeout_variable} environment variable sets this limit).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Cannot read the product bundles spec from {base_url}: {exc}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>METADATA: '{path}' declares XML entities; it was refused as unsafe.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>METADATA: cannot read '{path}' as XML ({exc}).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>METADATA: '{path}' has no per-band reflectance coefficients; use the scene's *_metadata.xml file.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>METADATA: '{path}' lists bands {bands}, not 1..n.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>METADATA: '{path}' lacks {element}.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>METADATA: '{path}' has a non-numeric {name}.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>METADATA: '{path}' has an impossible {name} ({value:g}).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>SCENES: no scene id was given.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>BUNDLE must be one of {bundles}.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Order {order_id} created.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Reusing order {order_id} ({name}).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Planet could not deliver order {order_id} ({state}): {reason}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>no reason given</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Order {order_id}: {state}.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>MAX_WAIT: order {order_id} is still {state} after {max_wait_minutes:g} min; run again with the same ORDER_NAME and OUTPUT_FOLDER later to download it.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Planet's order {order_id} has no manifest to verify the files against.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>{name} is not in the order's manifest.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Planet's order names a file '{name}' outside OUTPUT_FOLDER; it was written as '{safe}' inside it.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Planet's order names a file '{name}' that cannot be written safely.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Download of {target} stalled: {timeout}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>the transfer broke off ({kind})</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>its checksum does not match the order manifest</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Download of {target} from Planet failed twice: {problem}.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>HTTP {status_code}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>MASK_CLASSES: unknown class(es) {unknown}; choose from {udm2_classes}.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>INPUT_RASTER has {count} bands; PlanetScope scenes have 4 or 8.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>METADATA: radiance products need the scene's metadata XML for their reflectance coefficients.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>{product} to reflectance; {masked} pixel(s) masked by UDM2, {valid_total} valid.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>PRODUCT must be one of {products}.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>METADATA describes a {band_count}-band product but INPUT_RASTER has {count} bands.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>METADATA is for scene {scene_id} but INPUT_RASTER is scene {raster_scene}.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>METADATA is for scene {scene_id}, whose footprint does not overlap INPUT_RASTER.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>UDM2 has {count} band(s); a UDM2 file has 8.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>UDM2 is not on the grid of INPUT_RASTER; use the UDM2 of the same scene and clip.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>END_DATE is before START_DATE.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>{role}: '{value}' is not a date (use YYYY-MM-DD).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>{role}: cannot read '{path}' as a raster; is it truncated or corrupt? ({exc})</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>{role}: '{path}' has no coordinate reference system; assign one (Raster &gt; Projections &gt; Assign Projection) and retry.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>{role}: '{path}' is rotated; warp it to a north-up grid first.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>{role}: band(s) {bands} do not exist; the raster has {count} band(s).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>{role}: a band is listed twice.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>{role}: cannot read '{name}' to the end; the file is corrupt or truncated ({detail}).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>A raster could not be read; a file is corrupt or truncated ({messages}).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>CROP_CLASSES: the class raster names no crop classes (its model was trained without CROP_CLASSES, or another tool wrote it); list the crop class values or names.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>CROP_CLASSES: '{token}' is not a class of the raster; classes are {listed}.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>CROP_CLASSES: class values must be 0..254.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>{role}: '{path}' has {count} bands; a class raster has one (use the Classes output of Classify raster).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>{role} must be an integer class raster (it is {dtype}); use the class output of Classify raster.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>{role}: '{path}' holds values outside 0..255 ({values_min} to {values_max}); it is not a class raster.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>INPUT_CLASSES: class values must be 0..254 to keep every class.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>LABELS: only polygons and points can be labels, the layer has {bad_types}.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>{n_features} label feature(s) overlap the raster; classes: {classes}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>CROP_CLASSES: '{token}' is not a class of the labels; classes are {known}.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>{role}: cannot read '{path}' as a vector layer ({exc}).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>{role}: '{path}' has no coordinate reference system; set one on the layer and retry.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>{role}: the layer has no features with a geometry.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>{role}: {n_empty} feature(s) without a geometry left out, {invalid} invalid geometry(ies) (such as self-intersections) repaired.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>LABEL_FIELD: the label layer has no field '{field}' (fields: {fields}).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>LABEL_FIELD: field '{field}' is empty in every feature.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>LABEL_FIELD: field '{field}' has non-integer numbers; use an integer or text class field.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>LABEL_FIELD: class values must be 0..254 (field '{field}' has {values_min}..{values_max}).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>LABEL_FIELD: field '{field}' has {n_unique} distinct values; at most 254 classes are supported.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>LABELS: no label feature overlaps the raster extent; check that the labels and the raster cover the same area.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>AOI: the area of interest must be a polygon layer.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>AOI: the area of interest does not overlap the raster.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>{role}: a time stack needs rasters of at least two dates.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>MASKS: {n_masks} mask(s) for {n_paths} raster(s); give one mask per raster, in the same order.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>MASK_TYPE must be one of {mask_kinds}.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>MASKS: '{mask}' has {count} band(s); a UDM2 file has 8.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>{role}: no date in the name of {undated}; put a date (YYYY-MM-DD or YYYYMMDD) in every name, or in none and list the rasters in date order.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>{role}: several rasters on {date}; merge them first (Temporal composite), so each date appears once.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>{role}: '{raster}' has {count} band(s) but '{first}' has {first_count}; every date needs the same bands.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>{role}: the bands of '{raster}' ({band_names}) differ from those of '{first}'.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>{role}: '{raster}' ({crs}) does not overlap '{grid}' ({grid_crs}), the first date, whose grid the stack is read on.</source>
        <translation type="unfinished"></translation>
    </message>
</context>
</TS>
