/**
 * The figure sizes and typefaces that both the figure API (api.ts, which definitions import) and the renderer use;
 * a module of its own, so that the renderer loads none of the API's statistics.
 */

/**
 * The width of the text block in CSS pixels (162 mm, the narrower of A4's and Letter's): every figure is written
 * this wide. A single view fills it by itself; a figure of several views (`hconcat`) gives their widths so that they
 * add up to about this, and the SVG is scaled to it.
 */
export const textWidth = 612

/**
 * The document's typefaces as a spec names them (`config.font`, a mark's `font`): a CSS font list, the name quoted
 * (unquoted, the 3 in "Source Sans 3" would make it no name at all), with fallbacks. Figures are set in the sans.
 */
export const sansSerif = "'Source Sans 3', 'Source Sans Pro', Arial, sans-serif"
export const serif = "'Source Serif 4', 'Source Serif Pro', Georgia, serif"
