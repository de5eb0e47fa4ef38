import { describe, expect, it } from "vitest";
import { hasKey, initialLang, translate } from "./i18n";

describe("i18n", () => {
  it("follows the saved choice, else the system", () => {
    expect(initialLang("en", ["zh-CN"])).toBe("en");
    expect(initialLang(null, ["zh-TW", "en"])).toBe("zh");
    expect(initialLang(null, ["fr-FR"])).toBe("en");
    expect(initialLang("xx", [])).toBe("en");
  });

  it("fills placeholders in both languages", () => {
    expect(translate("en", "more", { n: 3 })).toBe("3 more");
    expect(translate("zh", "more", { n: 3 })).toBe("还有 3 个");
    expect(hasKey("person")).toBe(true);
    expect(hasKey("nope")).toBe(false);
  });
});
