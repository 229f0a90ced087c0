<!DOCTYPE qgis PUBLIC 'http://mrcc.com/qgis.dtd' 'SYSTEM'>
<qgis version="3.22.0" styleCategories="AllStyleCategories">
 <pipe>
  <rasterrenderer type="paletted" band="1" opacity="1" alphaBand="-1" nodataColor="">
   <rasterTransparency/>
   <colorPalette>
    <paletteEntry value="1" color="#33a02c" alpha="255" label="crop"/>
    <paletteEntry value="0" color="#e31a1c" alpha="255" label="other"/>
   </colorPalette>
  </rasterrenderer>
 </pipe>
</qgis>
