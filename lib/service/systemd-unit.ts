/**
 * The systemd user unit for `serve` (SVC-1): `ExecStart=` with the program's absolute path and its
 * arguments quoted the way systemd splits them, restarted on failure, started with the user's
 * session. Pure: the text is a function of its inputs.
 */

export type SystemdUnitInputs = {
  /** Absolute program path first, then its arguments. */
  execStart: readonly string[];
};

export function systemdUnit(inputs: SystemdUnitInputs): string {
  return [
    "[Unit]",
    "Description=macprovider: OpenAI-compatible local LLM provider",
    "",
    "[Service]",
    "Type=simple",
    `ExecStart=${inputs.execStart.map(systemdQuote).join(" ")}`,
    "Restart=on-failure",
    "RestartSec=5",
    "",
    "[Install]",
    "WantedBy=default.target",
    "",
  ].join("\n");
}

/**
 * One word of a systemd command line (systemd.service(5) "COMMAND LINES", systemd.unit(5)
 * "SPECIFIERS"): `%` is a specifier and `$` a variable reference, so both are doubled; a word with
 * whitespace, quotes, a backslash or `;` is double-quoted with C-style escapes.
 */
export function systemdQuote(word: string): string {
  if (/[\u0000-\u001f\u007f]/.test(word)) throw new Error(`service: ${JSON.stringify(word)} has a control character and cannot be written into a systemd unit`);
  const escaped = word.replaceAll("%", "%%").replaceAll("$", "$$$$");
  if (word !== "" && !/[\s"'\\;]/.test(word)) return escaped;
  return `"${escaped.replaceAll("\\", "\\\\").replaceAll('"', '\\"')}"`;
}
