package io.chainsnap.publisher.page;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

/** {@link Markup}: escaping, which URLs may be links, shell words. */
class MarkupTest {

  @Test
  void escapesMarkupAndQuotesAndReplacesWhatXmlCannotHold() {
    assertEquals(
        "&lt;a href=&quot;x&quot; title=&#39;y&#39;&gt;&amp;amp;&lt;/a&gt;",
        Markup.escape("<a href=\"x\" title='y'>&amp;</a>"));
    assertEquals("\uFFFD\t\n\r\uFFFD\uFFFD\uFFFD", Markup.escape("\u0000\t\n\r\u001b\u0085\uFFFE"));
    assertEquals("\uFFFDx\uFFFD", Markup.escape("\uDC00x\uD800"), "lone surrogates");
    assertEquals("€ 🙂 ß", Markup.escape("€ 🙂 ß"), "other text unchanged, pairs kept");
    assertEquals("", Markup.escape(null));
  }

  @Test
  void onlyAbsoluteHttpUrlsAreLinks() {
    assertTrue(Markup.isWebLink("https://cdn.example/a/b.json"));
    assertTrue(Markup.isWebLink("http://127.0.0.1:9000/bucket/k?x=1&y=2"));
    assertTrue(Markup.isWebLink("HTTPS://CDN.EXAMPLE/"));
    for (String bad :
        List.of(
            "javascript:alert(1)",
            "JavaScript:alert(1)",
            "data:text/html,x",
            "s3://bucket/key",
            "ipfs://bafkrei",
            "/relative/path",
            "//cdn.example/x",
            "https://cdn.example/a\" onclick=\"x",
            "https:///nohost",
            "")) {
      assertFalse(Markup.isWebLink(bad), bad);
    }
    assertFalse(Markup.isWebLink(null));
  }

  /** Each word, quoted, is given back unchanged by a real POSIX shell. */
  @Test
  void shellWordsSurviveARealShell() throws Exception {
    for (String word :
        List.of(
            "https://cdn.example/x/index.json",
            "lite'coin",
            "$(reboot)",
            "a b;c|d&e`f`",
            "''",
            "~/x*",
            "\"quoted\"")) {
      Process sh =
          new ProcessBuilder("/bin/sh", "-c", "printf %s " + Markup.shellWord(word))
              .redirectErrorStream(true)
              .start();
      String out = new String(sh.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      assertEquals(0, sh.waitFor());
      assertEquals(word, out, Markup.shellWord(word));
    }
    assertEquals("litecoin", Markup.shellWord("litecoin"), "plain words stay readable");
  }
}
