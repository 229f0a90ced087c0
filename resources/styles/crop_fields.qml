<!DOCTYPE qgis PUBLIC 'http://mrcc.com/qgis.dtd' 'SYSTEM'>
<qgis version="3.22.0" styleCategories="Symbology">
 <renderer-v2 type="singleSymbol" symbollevels="0" enableorderby="0" forceraster="0">
  <symbols>
   <symbol type="fill" name="0" alpha="1" clip_to_extent="1" force_rhr="0">
    <layer class="SimpleFill" enabled="1" locked="0" pass="0">
      <prop k="color" v="46,158,62,40"/>
      <prop k="outline_color" v="255,215,0,255"/>
      <prop k="outline_width" v="0.5"/>
      <prop k="outline_width_unit" v="MM"/>
      <prop k="style" v="solid"/>
      <prop k="outline_style" v="solid"/>
      <prop k="joinstyle" v="miter"/>
    </layer>
   </symbol>
  </symbols>
 </renderer-v2>
</qgis>
