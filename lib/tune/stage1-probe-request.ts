/**
 * The request each Stage 1 probe sends: a chat prompt long enough that TTFT measures prompt
 * processing (S1-3), not just one decode step, and a few output tokens with `ignore_eos`.
 */

// Plain English made mostly of words common to every tokenizer (the fixtures' merged words among
// them): about 38 tokens a sentence on the fixtures' byte-level vocabulary, about 25 on real ones.
const SENTENCES = [
  "Once upon a time there was a local model that would write a story about the world.",
  "The provider would serve that model to the people of the town, and it was fast and kind.",
  "Each of them would ask the model about the things that are in this world, and the model would write back to them.",
  "Some of these people were writing to it from their home, and other people were writing to it from the hills.",
  "The model had one token at a time to think about what to say, and it had to say it well.",
];

/**
 * Sentences in the prompt: about 830 prompt tokens on the fixtures (≈480 on a real tokenizer). On a
 * 2-core CPU that puts the default 2000 ms gate between fx-500m (≈2.9 s) and fx-250m (≈1.5 s), far
 * below fx-1b (≈5.3 s), so the largest fixture fails with a wide margin (FIX-2).
 */
export const STAGE1_PROMPT_SENTENCES = 20;

export type Stage1ProbeRequestOptions = {
  /** Tokens to generate. Defaults to 16. */
  maxTokens?: number;
  /** Sentences in the prompt. Defaults to STAGE1_PROMPT_SENTENCES. */
  sentences?: number;
};

/**
 * The chat body of request `n` (0 = the warm-up). Each request starts differently and asks for no
 * prompt cache, so no replicate reuses the previous one's prompt processing.
 */
export function stage1ProbeRequest(n: number, options: Stage1ProbeRequestOptions = {}): Record<string, unknown> {
  const count = options.sentences ?? STAGE1_PROMPT_SENTENCES;
  const story = Array.from({ length: count }, (_, i) => SENTENCES[i % SENTENCES.length]).join(" ");
  return {
    messages: [
      { role: "system", content: `Request ${n}. You are a local model that would write a story.` },
      { role: "user", content: `${story}\n\nWrite the next part of the story.` },
    ],
    max_tokens: options.maxTokens ?? 16,
    ignore_eos: true,
    cache_prompt: false,
    temperature: 0,
    seed: 1,
  };
}
