import { describe, expect, test } from "bun:test";
import { systemdQuote, systemdUnit } from "../../../lib/service/systemd-unit.ts";

describe("systemdUnit()", () => {
  test("systemdUnit() runs the absolute program with serve --config, restarts on failure, and is wanted by default.target", () => {
    expect(systemdUnit({ execStart: ["/usr/local/bin/macprovider", "serve", "--config", "/home/ada/.config/macprovider/config.yaml"] })).toBe(`[Unit]
Description=macprovider: OpenAI-compatible local LLM provider

[Service]
Type=simple
ExecStart=/usr/local/bin/macprovider serve --config /home/ada/.config/macprovider/config.yaml
Restart=on-failure
RestartSec=5

[Install]
WantedBy=default.target
`);
  });

  test("systemdUnit() quotes paths with spaces as single words", () => {
    const unit = systemdUnit({ execStart: ["/opt/mac provider/bun", "/opt/mac provider/scripts/cli.ts", "serve", "--config", "/home/ada/my configs/config.yaml"] });
    expect(unit).toContain('\nExecStart="/opt/mac provider/bun" "/opt/mac provider/scripts/cli.ts" serve --config "/home/ada/my configs/config.yaml"\n');
  });

  const words: [string, string][] = [
    ["/plain/path.yaml", "/plain/path.yaml"],
    ["/with space", '"/with space"'],
    ["/100%/x", "/100%%/x"],
    ["/$HOME/x", "/$$HOME/x"],
    ['/q"uote', '"/q\\"uote"'],
    ["/back\\slash", '"/back\\\\slash"'],
    ["/it's", '"/it\'s"'],
    [";", '";"'],
    ["", '""'],
    ["/a b%$", '"/a b%%$$"'],
  ];
  test.each(words)("systemdQuote(%p) is %p", (word, quoted) => {
    expect(systemdQuote(word)).toBe(quoted);
  });

  test("systemdQuote() refuses a control character, naming the value", () => {
    expect(() => systemdQuote("/a\tb")).toThrow('service: "/a\\tb" has a control character and cannot be written into a systemd unit');
  });
});
