/**
 * The first checks every stage makes on the document it reads (PIPE-1): JSON, an object, and the
 * `stage` it expects from the stage before. Throws an Error naming what is wrong (exit 64).
 */
export function parseStageDocument(command: string, text: string, expectedStage: string, producer: string): Record<string, unknown> {
  let doc: unknown;
  try {
    doc = JSON.parse(text);
  } catch (error) {
    throw new Error(`${command}: the input is not JSON (${(error as Error).message}); pipe in the output of ${producer}`);
  }
  if (!isObject(doc)) throw new Error(`${command}: the input is not a ${expectedStage} document: expected a JSON object`);
  if (doc.stage !== expectedStage) throw new Error(`${command}: the input is not a ${expectedStage} document: "stage" is ${JSON.stringify(doc.stage)}, expected "${expectedStage}"`);
  return doc;
}

export function isObject(x: unknown): x is Record<string, unknown> {
  return typeof x === "object" && x !== null && !Array.isArray(x);
}
