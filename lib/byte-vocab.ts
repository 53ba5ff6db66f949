/**
 * The fixtures' tokenizer: a SentencePiece ("llama") vocabulary in which every byte has a
 * `<0xXX>` token (byte fallback), spaces are `▁`, and a few merged English pieces keep common text
 * short. With `add_space_prefix` false it round-trips any UTF-8 text through llama.cpp.
 */
export type Vocab = {
  tokens: string[];
  scores: number[];
  /** llama.cpp token types: 1 normal, 2 unknown, 3 control, 6 byte. */
  types: number[];
  unkId: number;
  bosId: number;
  eosId: number;
  /** `<|im_end|>`: ends a ChatML turn, so llama.cpp treats it as end of generation. */
  eotId: number;
};

export const TOKEN_TYPE = { NORMAL: 1, UNKNOWN: 2, CONTROL: 3, BYTE: 6 } as const;

const SPACE = "\u2581";

// Common words; every prefix of each becomes a piece, because SentencePiece merges pairs of
// existing pieces and could never reach "▁the" without "▁th".
const MERGED_WORDS = [
  "the", "of", "and", "to", "in", "is", "that", "for", "it", "you", "on", "with", "as", "are", "this",
  "be", "at", "or", "have", "from", "hello", "world", "model", "token", "local", "provider", "what",
  "which", "there", "their", "about", "would", "these", "other", "write", "story", "once", "upon", "time",
];
const SUFFIXES = ["ing", "er", "ed", "es", "ly", "tion", "he", "th", "an", "re", "on", "en", "at"];

/** Builds the fixture vocabulary; `options` exist so tests can write vocabularies llama.cpp rejects. */
export function buildByteVocab(options: { dropByteTokens?: readonly number[]; duplicateToken?: boolean } = {}): Vocab {
  const tokens: string[] = [];
  const scores: number[] = [];
  const types: number[] = [];
  const add = (text: string, type: number, score = 0) => {
    tokens.push(text);
    types.push(type);
    scores.push(score);
    return tokens.length - 1;
  };

  const unkId = add("<unk>", TOKEN_TYPE.UNKNOWN);
  const bosId = add("<s>", TOKEN_TYPE.CONTROL);
  const eosId = add("</s>", TOKEN_TYPE.CONTROL);
  add("<|im_start|>", TOKEN_TYPE.CONTROL);
  const eotId = add("<|im_end|>", TOKEN_TYPE.CONTROL);

  const dropped = new Set(options.dropByteTokens ?? []);
  for (let b = 0; b < 256; b++) {
    if (!dropped.has(b)) add(`<0x${b.toString(16).toUpperCase().padStart(2, "0")}>`, TOKEN_TYPE.BYTE);
  }
  add(SPACE, TOKEN_TYPE.NORMAL, -1000);
  for (let c = 0x21; c <= 0x7e; c++) add(String.fromCharCode(c), TOKEN_TYPE.NORMAL, -1000);

  const pieces = new Set<string>();
  for (const word of MERGED_WORDS) {
    const spaced = SPACE + word;
    for (let n = 2; n <= spaced.length; n++) pieces.add(spaced.slice(0, n));
  }
  for (const suffix of SUFFIXES) {
    for (let n = 2; n <= suffix.length; n++) pieces.add(suffix.slice(0, n));
  }
  // Longer pieces score higher, so SentencePiece prefers the longest merge available.
  for (const piece of pieces) add(piece, TOKEN_TYPE.NORMAL, piece.length - 100);

  if (options.duplicateToken) add(tokens[tokens.length - 1]!, TOKEN_TYPE.NORMAL, -1);
  return { tokens, scores, types, unkId, bosId, eosId, eotId };
}

/** ChatML, the template most open instruct models use. */
export const CHATML_TEMPLATE =
  "{% for message in messages %}{{'<|im_start|>' + message['role'] + '\\n' + message['content'] + '<|im_end|>' + '\\n'}}{% endfor %}" +
  "{% if add_generation_prompt %}{{ '<|im_start|>assistant\\n' }}{% endif %}";
