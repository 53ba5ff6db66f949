import { describe, expect, test } from "bun:test";
import { DecodeSteps } from "../../../lib/engine/io/decode-steps.ts";

/** A decode the test settles by hand; records which step started it. */
function manualDecodes() {
  const started: string[] = [];
  const settle = new Map<string, () => void>();
  const decode = (name: string) => () => {
    started.push(name);
    return new Promise<string>((resolve) => settle.set(name, () => resolve(name)));
  };
  return { started, settle: (name: string) => settle.get(name)!(), decode };
}
const tick = () => new Promise((r) => setImmediate(r));

describe("DecodeSteps", () => {
  test("run() starts a request at once when every open generation is asking", async () => {
    const steps = new DecodeSteps();
    const leave = steps.join();
    const d = manualDecodes();
    void steps.run(d.decode("a1"));
    await Promise.resolve();
    expect(d.started).toEqual(["a1"]);
    leave();
  });

  test("run() holds requests made while a step is in flight and starts them together", async () => {
    const steps = new DecodeSteps();
    const [la, lb, lc] = [steps.join(), steps.join(), steps.join()];
    const d = manualDecodes();
    const a = steps.run(d.decode("a1"));
    const b = steps.run(d.decode("b1"));
    await tick();
    expect(d.started).toEqual(["a1", "b1"]); // c is open but not asking: the step does not wait for it
    const c = steps.run(d.decode("c1")); // arrives mid-step
    await tick();
    expect(d.started).toEqual(["a1", "b1"]);
    d.settle("a1");
    expect(await a).toBe("a1");
    void steps.run(d.decode("a2")); // a asks again while b is still decoding
    await tick();
    expect(d.started).toEqual(["a1", "b1"]);
    d.settle("b1");
    await b;
    void steps.run(d.decode("b2"));
    await tick();
    expect(d.started).toEqual(["a1", "b1", "c1", "a2", "b2"]); // one step: c's first, a's and b's next
    d.settle("c1");
    expect(await c).toBe("c1");
    [la, lb, lc].forEach((l) => l());
  });

  test("run() passes a decode's failure to its caller and keeps stepping", async () => {
    const steps = new DecodeSteps();
    const leave = steps.join();
    await expect(steps.run(() => Promise.reject(new Error("decode failed")))).rejects.toThrow("decode failed");
    await expect(steps.run(() => { throw new Error("threw"); })).rejects.toThrow("threw");
    expect(await steps.run(async () => 7)).toBe(7);
    leave();
  });

  test("join()'s leave counts a generation out once, so the others stop waiting for it", async () => {
    const steps = new DecodeSteps();
    const [la, lb] = [steps.join(), steps.join()];
    const d = manualDecodes();
    const a = steps.run(d.decode("a1"));
    await Promise.resolve();
    expect(d.started).toEqual([]); // b is open: wait a turn for it
    lb();
    lb(); // twice is harmless
    await Promise.resolve();
    expect(d.started).toEqual(["a1"]); // only a is open now and it is asking
    d.settle("a1");
    await a;
    la();
  });

  test("run() starts a step's requests in sequence-id order, not arrival order", async () => {
    const steps = new DecodeSteps();
    const leaves = [steps.join(), steps.join(), steps.join()];
    const d = manualDecodes();
    const runs = [["c", 2], ["a", 0], ["b", 1]].map(([name, order]) => steps.run(d.decode(name as string), order as number));
    await tick();
    expect(d.started).toEqual(["a", "b", "c"]);
    ["a", "b", "c"].forEach(d.settle);
    await Promise.all(runs);
    leaves.forEach((l) => l());
  });
});
