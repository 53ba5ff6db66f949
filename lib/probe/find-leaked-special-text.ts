/**
 * Output is well formed only if no special-token or stop text leaks into it (S1-3): a provider that
 * renders `<|im_end|>` as text has a broken template or detokenizer, whatever its speed.
 */

/** Control and turn markers of the common chat templates (ChatML, Llama 2/3, Gemma, Phi, Mistral, …). */
export const COMMON_SPECIAL_TEXTS: readonly string[] = [
  "<|im_start|>", "<|im_end|>", "<|endoftext|>", "<|im_sep|>",
  "<s>", "</s>",
  "<|begin_of_text|>", "<|end_of_text|>", "<|start_header_id|>", "<|end_header_id|>", "<|eot_id|>", "<|eom_id|>",
  "<start_of_turn>", "<end_of_turn>",
  "<|user|>", "<|assistant|>", "<|system|>", "<|end|>",
  "[INST]", "[/INST]",
];

/**
 * The special texts found in `text`, in order of first appearance; [] when it is clean.
 * `extra`: the model's own stop strings and control tokens, searched as well.
 */
export function findLeakedSpecialText(text: string, extra: readonly string[] = []): string[] {
  const found: { special: string; at: number }[] = [];
  for (const special of new Set([...COMMON_SPECIAL_TEXTS, ...extra])) {
    if (special === "") continue;
    const at = text.indexOf(special);
    if (at !== -1) found.push({ special, at });
  }
  // Ties at one position (a marker that starts a longer one): the longer first.
  return found.sort((a, b) => a.at - b.at || b.special.length - a.special.length).map((f) => f.special);
}
