/**
 * The SVG as a data: URL for an <img>: an image cannot run scripts or reach into
 * the page, which inlining the markup would allow.
 */
export const svgDataUrl = (svg: string): string =>
  `data:image/svg+xml;charset=utf-8,${encodeURIComponent(svg)}`;
