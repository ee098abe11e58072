/**
 * What a parked markdown text keeps of its layout (see StreamingMarkdown.park), and how its
 * blocks are sized when they are rendered again. Pure, unit-tested in Node.
 */

/** The heights of a rendered text and of each of its blocks, in px. */
export interface ParkingMeasure {
  height: number;
  blocks: readonly number[];
}

/**
 * The `contain-intrinsic-size` for the block at `index` rendered again after parking: its old
 * height, which stands for it until it is laid out (finished blocks skip layout off screen), so
 * the blocks keep their places instead of shrinking to the stylesheet's small guess.
 * Undefined when there is no height for it (the text was not parked, or it splits differently).
 */
export function restoredBlockSize(heights: readonly number[], index: number): string | undefined {
  const height = heights[index];
  return height === undefined || !Number.isFinite(height) || height <= 0 ? undefined : `auto ${height}px`;
}
