// getLanguage remembers its answers by what it reads (the lng cookie's value
// and Accept-Language): the remembered answers must be the ones detection gives.
import { getLanguage, serializeLocaleCookie } from "~/services/i18n.server";

const ask = (headers: Record<string, string>, path = "/") => getLanguage(new Request(`http://localhost${path}`, { headers }));

describe("getLanguage", () => {
  it("follows ?lng=, then the lng cookie, then Accept-Language, the same on a second ask", async () => {
    const english = (await serializeLocaleCookie(new Request("http://localhost/"), "en")).split(";")[0];
    const chinese = (await serializeLocaleCookie(new Request("http://localhost/"), "zh-CN")).split(";")[0];
    for (let round = 0; round < 2; round++) {
      expect(await ask({ "Accept-Language": "en-GB,en;q=0.9" })).toBe("en");
      expect(await ask({ "Accept-Language": "zh-CN,zh;q=0.9" })).toBe("zh-CN");
      expect(await ask({})).toBe("zh-CN");
      expect(await ask({ "Accept-Language": "en", Cookie: chinese })).toBe("zh-CN");
      expect(await ask({ "Accept-Language": "en", Cookie: `session=abc; ${chinese}` })).toBe("zh-CN");
      expect(await ask({ "Accept-Language": "zh-CN", Cookie: english })).toBe("en");
      expect(await ask({ "Accept-Language": "zh-CN", Cookie: english }, "/?lng=zh-CN")).toBe("zh-CN");
      expect(await ask({ "Accept-Language": "zh-CN" }, "/check?x=1&lng=en")).toBe("en");
    }
  });
});
