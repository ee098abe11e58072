/** Questions of the suite the end-to-end test's fake server answers specially (see extensionHostSuite.e2e.ts). */
export const CALL_A_TOOL = 'what is the weather in Oslo?';
export const FAIL_WITH_AUTH = 'answer with a refused key';
/** The language-model benchmark's question, answered with a very long stream (test/bench/languageModels/lmBench.ts). */
export const BENCH_QUESTION = 'bench: stream the long answer';
