<!DOCTYPE qgis PUBLIC 'http://mrcc.com/qgis.dtd' 'SYSTEM'>
<qgis version="3.22.0" styleCategories="AllStyleCategories">
 <pipe>
  <rasterrenderer type="singlebandgray" grayBand="1" gradient="BlackToWhite" opacity="1" alphaBand="-1" nodataColor="">
   <rasterTransparency/>
   <contrastEnhancement>
    <minValue>0</minValue>
    <maxValue>1</maxValue>
    <algorithm>StretchToMinimumMaximum</algorithm>
   </contrastEnhancement>
  </rasterrenderer>
 </pipe>
</qgis>
