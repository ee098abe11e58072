/**
 * Cuts an answer into the deltas a fast server produces, as the host sends them: merged to one
 * message per frame, about 20 tokens (≈ 80 characters) each. Cut points are seeded but otherwise
 * arbitrary, so they fall inside words, inside code blocks and inside fence markers, as they do
 * with a real tokenizer.
 */
import { SeededRandom } from './seededRandom';

export interface Chunking {
  chunks: string[];
  /** How many cuts fell inside a word, inside a fenced code block, inside a fence marker. */
  cutsInsideWords: number;
  cutsInsideCode: number;
  cutsInsideFenceMarkers: number;
}

export function streamChunks(text: string, seed: number, meanChars = 80): Chunking {
  const random = new SeededRandom(seed);
  const spread = Math.round(meanChars / 4);
  const cuts: number[] = [];
  for (let at = random.int(meanChars - spread, meanChars + spread); at < text.length; at += random.int(meanChars - spread, meanChars + spread)) {
    cuts.push(at);
  }
  snapSomeCutsIntoFenceMarkers(text, cuts, random);
  const chunks: string[] = [];
  let start = 0;
  for (const cut of [...cuts, text.length]) {
    chunks.push(text.slice(start, cut));
    start = cut;
  }
  return { chunks, ...countCuts(text, chunks) };
}

/**
 * A split "``" + "`" is the hardest case for the streaming renderer (is it a fence yet?); plain
 * random cuts hit one only now and then, so a third of the fence markers get the nearest cut
 * moved into them (kept in order, and the chunk sizes stay close to the mean).
 */
function snapSomeCutsIntoFenceMarkers(text: string, cuts: number[], random: SeededRandom): void {
  const fence = /^```/gm;
  for (let marker = fence.exec(text); marker !== null; marker = fence.exec(text)) {
    if (random.next() >= 1 / 3) continue;
    const target = marker.index + random.int(1, 2);
    const nearest = cuts.findIndex((cut) => cut >= target - 40);
    const cut = cuts[nearest];
    if (cut === undefined || Math.abs(cut - target) > 40) continue;
    const previous = cuts[nearest - 1] ?? 0;
    const next = cuts[nearest + 1] ?? text.length;
    if (target > previous && target < next) cuts[nearest] = target;
  }
}

function countCuts(text: string, chunks: readonly string[]): Omit<Chunking, 'chunks'> {
  const insideCode = codeRanges(text);
  let offset = 0;
  let cutsInsideWords = 0;
  let cutsInsideCode = 0;
  let cutsInsideFenceMarkers = 0;
  for (const chunk of chunks.slice(0, -1)) {
    offset += chunk.length;
    if (/\w/.test(text.charAt(offset - 1)) && /\w/.test(text.charAt(offset))) cutsInsideWords++;
    if (insideCode.some(([from, to]) => offset > from && offset < to)) cutsInsideCode++;
    if (text.charAt(offset - 1) === '`' && text.charAt(offset) === '`') cutsInsideFenceMarkers++;
  }
  return { cutsInsideWords, cutsInsideCode, cutsInsideFenceMarkers };
}

/** [start, end) of each fenced block, fences included (top-level ``` fences only, as generated). */
function codeRanges(text: string): Array<[number, number]> {
  const ranges: Array<[number, number]> = [];
  const fence = /^```/gm;
  for (let open = fence.exec(text); open !== null; open = fence.exec(text)) {
    const close = fence.exec(text);
    if (close === null) break;
    ranges.push([open.index, close.index + 3]);
  }
  return ranges;
}
