/** Options of {@link renderPng}. */
export interface PngOptions {
  /** Pixel density: 2 renders at twice the SVG's size. Default `2`. */
  scale?: number;
  /** Background colour. Default `'white'`. */
  background?: string;
}

/**
 * Rasterise an SVG (from {@link renderSvg}) to PNG with resvg, using the
 * system fonts with DejaVu Sans as the default family (Debian
 * `fonts-dejavu-core`; `scripts/setup-browser.sh` installs it). Deterministic
 * for a given SVG and font set. Cost: ~20 ms per chart.
 */
export async function renderPng(svg: string, options: PngOptions = {}): Promise<Uint8Array> {
  const { scale = 2, background = 'white' } = options;
  const { Resvg } = await import('@resvg/resvg-js');
  const resvg = new Resvg(svg, {
    background,
    fitTo: { mode: 'zoom', value: scale },
    font: { loadSystemFonts: true, defaultFontFamily: 'DejaVu Sans' },
  });
  return new Uint8Array(resvg.render().asPng());
}
