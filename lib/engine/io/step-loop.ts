/**
 * The generation loop of one llama.cpp context, straight on node-llama-cpp's native context (as
 * llama-server's slot loop drives llama.cpp): each step is one llama_decode holding one token of
 * every generating sequence plus prompt chunks of the joining ones, then one sampling call per
 * sequence that asked for logits.
 *
 * Why not node-llama-cpp's `sequence.evaluate()`: per token it takes two locks, queues the decode
 * for its batch dispatcher, prioritizes and fits the queue, consults the thread splitter, re-resolves
 * the sampler config and hops through several promise layers (~0.15–0.3 ms a token on 2 cores,
 * 3–6 % of an fx-80m token), and its dispatcher only batches what happens to be queued, so
 * concurrent streams needed DecodeSteps to phase-lock them. Here the step is built from the slots
 * themselves, so every generating sequence is in it by construction.
 *
 * What it keeps of node-llama-cpp: the sequence's token bookkeeping (`_contextTokens`,
 * `_nextTokenIndex`, updated after every step, so prefix reuse and erasing work as before; the
 * stale suffix past a reused prefix is erased by the slot's first step, under the lock, so a
 * request never waits for a running step just to open), its sampler config resolution (grammar,
 * seed, top-k/p) and native sampler, its context lock (every step holds `[context, "context"]`,
 * so erasing cells or node-llama-cpp's own dispatch never runs during a decode), and its dispose
 * guard. Private fields of node-llama-cpp 3.21.1,
 * pinned exactly. Models whose KV cache needs checkpoints (SWA, recurrent) keep node-llama-cpp's
 * evaluate path, which takes them, and so does Vulkan, where node-llama-cpp serializes decodes
 * across contexts with a lock of its own (see generate-tokens.ts). Not kept: node-llama-cpp's
 * thread splitter, which shares threads between contexts; serve runs one, at its own thread count.
 */
import type { LlamaContext, LlamaContextSequence, Token } from "node-llama-cpp";
import { withLock } from "lifecycle-utils";

type AddonSampler = { applyConfig(config: object): void; dispose(): void };
type AddonContext = {
  initBatch(size: number): void;
  addToBatch(sequenceId: number, firstTokenIndex: number, tokens: Uint32Array, logitIndexes: Uint32Array): Uint32Array;
  decodeBatch(): Promise<void>;
  sampleToken(batchLogitIndex: number, sampler: AddonSampler): Promise<number>;
  removeTokenCellsFromSequence(sequenceId: number, start: number, end: number): boolean;
  disposeSequence(sequenceId: number): void;
};
/** The private parts of node-llama-cpp 3.21.1 this loop reads or keeps true. */
type SequenceState = { _sequenceId: number; _nextTokenIndex: number; _contextTokens: Token[]; _resolveSamplerConfig(options: object): object };

/** Tokens a slot may run ahead of its reader; past this it waits (a stalled client stalls only itself). */
const LOOKAHEAD = 4;

export type SlotOptions = {
  /** Node-llama-cpp sampling options (temperature, topK, topP, seed, grammarEvaluationState). */
  sampling: object;
  /** Tokens to generate at most. */
  budget: number;
  /** End at an end-of-generation token (else it is fed back and generation goes on). */
  stopAtEog: boolean;
  signal?: AbortSignal;
};

/** What a slot's reader gets: a sampled token, or the end (budget, end-of-generation, abort, close). */
export type SlotOutput = { token: Token } | null;

export class Slot {
  readonly id: number;
  /** Tokens for the next step: the prompt's rest, then each sampled token. */
  input: Token[];
  position: number;
  /** The reused prefix: the cells past it are erased before the slot's first step (then null). */
  keep: readonly Token[] | null;
  produced = 0;
  /** Prompt tokens the steps fed (the whole prompt again where the reused prefix had to go). */
  promptFed = 0;
  finished = false;
  private queue: (Token | Error)[] = [];
  private wake: (() => void) | null = null;
  /** Settles when the step this slot is in ends (null when it is in none). */
  stepDone: Promise<void> | null = null;

  constructor(
    readonly sequence: LlamaContextSequence,
    readonly sampler: AddonSampler,
    prompt: readonly Token[],
    keep: number,
    readonly options: SlotOptions,
    private readonly kick: () => void,
  ) {
    this.id = (sequence as unknown as SequenceState)._sequenceId;
    this.position = keep;
    this.keep = prompt.slice(0, keep);
    this.input = prompt.slice(keep);
  }

  /** Whether the next step should hold this slot. */
  get ready(): boolean {
    return !this.finished && this.input.length > 0 && this.queue.length < LOOKAHEAD;
  }

  /** The next token, or null once generation ended; throws what the decode or sampling threw. */
  async next(): Promise<SlotOutput> {
    while (this.queue.length === 0) {
      if (this.finished) return null;
      await new Promise<void>((resolve) => (this.wake = resolve));
    }
    const head = this.queue.shift()!;
    if (this.queue.length === LOOKAHEAD - 1) this.kick(); // it may have been waiting on this reader
    if (head instanceof Error) throw head;
    return { token: head };
  }

  /** A sampled token: queued for the reader, and fed back unless it ends the generation. */
  deliver(token: Token, eog: boolean): void {
    this.produced++;
    if ((eog && this.options.stopAtEog) || this.produced >= this.options.budget) this.end();
    else this.input = [token];
    this.push(token);
  }

  fail(error: Error): void {
    this.end();
    this.push(error);
  }

  /** No more steps for this slot; the reader drains what is queued, then gets null. */
  end(): void {
    this.finished = true;
    this.input = [];
    this.notify();
  }

  private push(item: Token | Error): void {
    this.queue.push(item);
    this.notify();
  }

  private notify(): void {
    const wake = this.wake;
    this.wake = null;
    wake?.();
  }
}

export class StepLoop {
  private slots: Slot[] = [];
  private running = false;

  constructor(private readonly context: LlamaContext) {}

  /**
   * Starts generating on `sequence` for `prompt`, reusing its first `keep` tokens, which must be the
   * start of the sequence's context tokens (at least the prompt's last token is evaluated).
   */
  open(sequence: LlamaContextSequence, prompt: readonly Token[], keep: number, options: SlotOptions): Slot {
    if (keep >= prompt.length) throw new Error(`StepLoop.open: nothing to evaluate (keep ${keep} of a ${prompt.length}-token prompt)`);
    if (sequence.disposed) throw new Error("StepLoop.open: the sequence was disposed");
    if (this.slots.some((s) => s.sequence === sequence)) throw new Error("StepLoop.open: a generation is still open on this sequence");
    const config = (sequence as unknown as SequenceState)._resolveSamplerConfig(options.sampling);
    const bindings = (sequence.model as unknown as { _llama: { _bindings: { AddonSampler: new (model: unknown) => AddonSampler } }; _model: unknown });
    const sampler = new bindings._llama._bindings.AddonSampler(bindings._model);
    try {
      sampler.applyConfig(config);
    } catch (error) {
      sampler.dispose();
      throw error;
    }
    const slot = new Slot(sequence, sampler, prompt, keep, options, () => this.kick());
    this.slots.push(slot);
    this.slots.sort((a, b) => a.id - b.id);
    this.kick();
    return slot;
  }

  /** Ends the slot, waits for a step still holding it, and frees its sampler. Idempotent. */
  async close(slot: Slot): Promise<void> {
    slot.end();
    await slot.stepDone;
    const at = this.slots.indexOf(slot);
    if (at === -1) return;
    this.slots.splice(at, 1);
    slot.sampler.dispose();
  }

  /**
   * Starts the loop if it is idle, after the current turn of the event loop: requests that arrived
   * together (parsed and tokenized in the same turn) then share their first step, as llama-server's
   * slots pick up every queued task at once, instead of the later prompts waiting for the first one.
   */
  private kick(): void {
    if (this.running) return;
    this.running = true;
    setImmediate(() => void this.run()
      .catch((error: unknown) => {
        for (const slot of this.slots) if (!slot.finished) slot.fail(asError(error)); // never reached: run() catches per step
      })
      .finally(() => {
        this.running = false;
        // A slot may have become ready between the last check and the flag going down.
        if (this.slots.some((s) => s.ready)) this.kick();
      }));
  }

  private async run(): Promise<void> {
    for (;;) {
      for (const slot of this.slots) if (!slot.finished && (slot.options.signal?.aborted || slot.sequence.disposed)) slot.end();
      if (!this.slots.some((s) => s.ready)) return;
      try {
        await withLock([this.context, "context"], () => this.step());
      } catch (error) {
        // Nothing per slot threw this (initBatch, the dispose guard): every waiting slot ends with it.
        for (const slot of this.slots) if (slot.ready) slot.fail(asError(error));
      }
    }
  }

  /**
   * One llama_decode: a token for each generating slot, then prompt chunks in the room the batch has
   * left, in sequence-id order (llama.cpp computes consecutive increasing ids in one ubatch); then
   * one sample per slot whose last input token was in the batch. The slots are picked under the
   * lock, and the context's dispose guard is held throughout (as node-llama-cpp's dispatch holds
   * it), so a context or model disposed meanwhile fails the step instead of freeing llama.cpp's
   * context under the decode.
   */
  private async step(): Promise<void> {
    const candidates = this.slots.filter((s) => s.ready);
    if (candidates.length === 0) return;
    let guard: { dispose(): void };
    try {
      guard = (this.context as unknown as { _backendContextDisposeGuard: { createPreventDisposalHandle(): { dispose(): void } } })._backendContextDisposeGuard.createPreventDisposalHandle();
    } catch {
      for (const slot of candidates) slot.fail(new Error("the context was disposed"));
      return;
    }
    let done!: () => void;
    const stepDone = new Promise<void>((resolve) => (done = resolve));
    for (const slot of candidates) slot.stepDone = stepDone;
    try {
      await this.decodeAndSample(candidates, (this.context as unknown as { _ctx: AddonContext })._ctx);
    } finally {
      guard.dispose();
      for (const slot of candidates) if (slot.stepDone === stepDone) slot.stepDone = null;
      done();
    }
  }

  private async decodeAndSample(candidates: Slot[], addon: AddonContext): Promise<void> {
    // A slot whose erase or batch entry fails ends alone; the others still take the step.
    const alive = (slot: Slot, action: () => void) => {
      try {
        action();
        return true;
      } catch (error) {
        slot.fail(asError(error));
        return false;
      }
    };
    const ready = candidates.filter((slot) => slot.keep === null || alive(slot, () => truncate(slot, addon)));
    // How many input tokens each ready slot feeds: one for every generating slot first, then prompt
    // chunks in the room that is left (0 = not in this step).
    let room = this.context.batchSize;
    const take = ready.map((slot): number => (slot.input.length === 1 && room > 0 ? (room--, 1) : 0));
    for (let i = 0; i < ready.length && room > 0; i++) {
      if (take[i] !== 0) continue;
      take[i] = Math.min(room, ready[i]!.input.length);
      room -= take[i]!;
    }
    addon.initBatch(this.context.batchSize - room);
    // The tokens each slot feeds, recorded here: a slot closed during the decode has lost its input.
    const fed: { slot: Slot; tokens: Token[]; logitIndex: number | null }[] = [];
    for (let i = 0; i < ready.length; i++) { // in id order
      const slot = ready[i]!, n = take[i]!;
      if (n === 0) continue;
      const tokens = slot.input.slice(0, n);
      const last = n === slot.input.length;
      alive(slot, () => {
        const indexes = addon.addToBatch(slot.id, slot.position, Uint32Array.from(tokens), last ? Uint32Array.of(n - 1) : new Uint32Array(0));
        fed.push({ slot, tokens, logitIndex: last ? indexes[0]! : null });
      });
    }
    if (fed.length === 0) return;
    try {
      await addon.decodeBatch();
    } catch (error) {
      for (const { slot } of fed) slot.fail(asError(error));
      return;
    }
    for (const { slot, tokens } of fed) {
      const state = slot.sequence as unknown as SequenceState;
      for (const token of tokens) state._contextTokens.push(token);
      slot.position += tokens.length;
      state._nextTokenIndex = slot.position;
      if (slot.produced === 0) slot.promptFed += tokens.length;
      if (!slot.finished) slot.input.splice(0, tokens.length);
    }
    await Promise.all(fed.map(({ slot, logitIndex }) => (logitIndex === null ? undefined : sampleInto(slot, logitIndex, addon))));
  }
}

/** Samples the slot's next token from the step's logits at `index` and hands it to the slot. */
async function sampleInto(slot: Slot, index: number, addon: AddonContext): Promise<void> {
  try {
    const token = await addon.sampleToken(index, slot.sampler);
    if (token === -1) throw new Error("Failed to sample next token");
    if (!slot.finished) slot.deliver(token as Token, slot.sequence.model.isEogToken(token as Token));
  } catch (error) {
    slot.fail(asError(error));
  }
}

/**
 * Erases the slot's sequence past its reused prefix, as node-llama-cpp's eraseContextTokenRanges
 * does for a KV cache without checkpoints (to the end, so cells a failed decode left go too). Where
 * the sequence no longer starts with that prefix, or llama.cpp refuses a partial erase, the whole
 * sequence is dropped and the prefix evaluated again with the rest of the prompt.
 */
function truncate(slot: Slot, addon: AddonContext): void {
  const state = slot.sequence as unknown as SequenceState;
  const keep = slot.keep!;
  slot.keep = null;
  const intact = state._nextTokenIndex >= keep.length && keep.every((token, i) => state._contextTokens[i] === token);
  if (!intact || !addon.removeTokenCellsFromSequence(slot.id, keep.length, -1)) {
    addon.disposeSequence(slot.id);
    state._contextTokens.length = 0;
    state._nextTokenIndex = 0;
    slot.input = [...keep, ...slot.input];
    slot.position = 0;
    return;
  }
  state._contextTokens.length = keep.length;
  state._nextTokenIndex = keep.length;
}

function asError(error: unknown): Error {
  return error instanceof Error ? error : new Error(String(error));
}

const byContext = new WeakMap<LlamaContext, StepLoop>();

/** The one StepLoop of a context. */
export function stepLoopFor(context: LlamaContext): StepLoop {
  let loop = byContext.get(context);
  if (!loop) byContext.set(context, (loop = new StepLoop(context)));
  return loop;
}
