/** The one tagged logger. Everything goes to stderr: stdout carries JSON documents only. */
import { createConsola } from "consola";

export const logger = createConsola({
  stdout: process.stderr,
  stderr: process.stderr,
  level: process.env.MACPROVIDER_DEBUG ? 4 : 3,
}).withTag("macprovider");
