/**
 * `logit_bias`: token id → a number added to that token's logit before sampling, from -100 to 100
 * (OpenAI: about ±1 nudges, ±100 bans or all but forces). Two shapes are read: OpenAI's object
 * (`{"50256": -100}`, ids as keys) and llama-server's list of pairs (`[[50256, -100], [13, false]]`,
 * `false` = never). A token given twice keeps its last bias, as a JSON object would. Text
 * (llama-server tokenizes a string key, or a string in a pair) is refused: the id form is the one
 * OpenAI clients send, and a pair's string would mean text there, not an id.
 */
import { ApiError } from "./api-error.ts";

/** Token id → bias; -Infinity = never sampled. */
export type LogitBias = ReadonlyMap<number, number>;

const LOGIT_BIAS_LIMIT = 100;

const bad = (message: string) => new ApiError(400, `logit_bias: ${message}`, "invalid_value", "logit_bias");

export function parseLogitBias(v: unknown): LogitBias {
  const pairs: [unknown, unknown][] = Array.isArray(v)
    ? v.map((pair) => {
        if (!Array.isArray(pair) || pair.length !== 2) throw bad(`each entry of the list must be a [token id, bias] pair, got ${shown(pair)}`);
        if (typeof pair[0] !== "number") throw bad(`a pair's first item must be a token id (a number; text is not supported), got ${shown(pair[0])}`);
        return [pair[0], pair[1]];
      })
    : typeof v === "object" && v !== null
      ? Object.entries(v).map(([key, value]): [unknown, unknown] => [/^\d+$/.test(key) ? Number(key) : key, value])
      : (() => { throw bad(`must be an object mapping token ids to biases (or a list of [token id, bias] pairs), got ${shown(v)}`); })();
  const bias = new Map<number, number>();
  for (const [key, value] of pairs) bias.set(tokenId(key), biasValue(key, value));
  return bias;
}

/** Token ids are llama.cpp's int32 token type, and travel to the sampler as a Uint32Array. */
const MAX_TOKEN_ID = 2 ** 31 - 1;

function tokenId(key: unknown): number {
  if (typeof key !== "number" || !Number.isInteger(key) || key < 0 || key > MAX_TOKEN_ID) throw bad(`keys must be token ids (integers from 0 to ${MAX_TOKEN_ID}), got ${shown(key)}`);
  return key;
}

function biasValue(key: unknown, value: unknown): number {
  if (value === false) return -Infinity;
  if (typeof value !== "number" || !Number.isFinite(value) || Math.abs(value) > LOGIT_BIAS_LIMIT) {
    throw bad(`the bias of token ${shown(key)} must be a number from -${LOGIT_BIAS_LIMIT} to ${LOGIT_BIAS_LIMIT} (or false for never), got ${shown(value)}`);
  }
  return value;
}

function shown(v: unknown): string {
  const text = JSON.stringify(v) ?? String(v);
  return text.length > 60 ? `${text.slice(0, 57)}...` : text;
}
