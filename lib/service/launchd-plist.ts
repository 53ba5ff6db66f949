/**
 * The launchd agent for `serve` (SVC-1): a property list with the label, the program and its
 * arguments (one `<string>` each, so spaces need no quoting), started at load and kept alive, with
 * stdout and stderr in the log folder. Pure: the text is a function of its inputs.
 */
import { LAUNCHD_LABEL } from "./service-names.ts";

export type LaunchdPlistInputs = {
  /** Absolute program path first, then its arguments. */
  programArguments: readonly string[];
  /** The log folder (`~/Library/Logs/macprovider`). */
  logDir: string;
};

export function launchdPlist(inputs: LaunchdPlistInputs): string {
  const string = (value: string) => `<string>${xmlEscape(value)}</string>`;
  return [
    `<?xml version="1.0" encoding="UTF-8"?>`,
    `<!DOCTYPE plist PUBLIC "-//Apple//DTD PLIST 1.0//EN" "http://www.apple.com/DTDs/PropertyList-1.0.dtd">`,
    `<plist version="1.0">`,
    `<dict>`,
    `\t<key>Label</key>`,
    `\t${string(LAUNCHD_LABEL)}`,
    `\t<key>ProgramArguments</key>`,
    `\t<array>`,
    ...inputs.programArguments.map((arg) => `\t\t${string(arg)}`),
    `\t</array>`,
    `\t<key>RunAtLoad</key>`,
    `\t<true/>`,
    `\t<key>KeepAlive</key>`,
    `\t<true/>`,
    `\t<key>StandardOutPath</key>`,
    `\t${string(`${inputs.logDir}/macprovider.out.log`)}`,
    `\t<key>StandardErrorPath</key>`,
    `\t${string(`${inputs.logDir}/macprovider.err.log`)}`,
    `</dict>`,
    `</plist>`,
    ``,
  ].join("\n");
}

/** XML character data: the five predefined entities; control characters cannot be written at all. */
export function xmlEscape(value: string): string {
  // XML 1.0 allows tab, newline and carriage return among the control characters, but a path with
  // them is almost surely a mistake and launchd would read the newline back; refuse them all.
  if (/[\u0000-\u001f\u007f]/.test(value)) throw new Error(`service: ${JSON.stringify(value)} has a control character and cannot be written into a launchd plist`);
  return value.replaceAll("&", "&amp;").replaceAll("<", "&lt;").replaceAll(">", "&gt;").replaceAll('"', "&quot;").replaceAll("'", "&apos;");
}
