/** Times one answer: how long until the first token, and how fast it streamed after that. */
import type { AnswerStats, AssistantTurn } from './conversation';

export class AnswerClock {
  private readonly started: number;
  private firstToken: number | undefined;

  constructor(private readonly now: () => number) {
    this.started = now();
  }

  token(): void {
    this.firstToken ??= this.now();
  }

  /** The server's output-token count when it gave one, else an estimate from the text. */
  stats(turn: AssistantTurn, outputTokens: number | undefined): AnswerStats | undefined {
    if (this.firstToken === undefined) return undefined;
    const stats: AnswerStats = { firstTokenMs: this.firstToken - this.started };
    const seconds = (this.now() - this.firstToken) / 1000;
    const tokens = outputTokens ?? Math.round((turn.content.length + turn.reasoning.length) / 4);
    if (seconds >= 0.05 && tokens > 1) stats.tokensPerSecond = Math.round((tokens / seconds) * 10) / 10;
    return stats;
  }
}
