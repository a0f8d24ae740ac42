// TypeDoc plugin: renders $…$ and $$…$$ as math, at build time, in the markdown documents and in
// the TSDoc comments alike. It hands TypeDoc's own markdown-it parser (the `markdownItLoader`
// option) to @vscode/markdown-it-katex, which tokenizes the math before markdown can touch it
// (so `x_i` and `a * b` stay TeX), and asks KaTeX for MathML only: the browser typesets it
// natively, and TypeDoc's stylesheet already styles `<math display="block">`, so the site needs no
// fonts, no stylesheet and no script from anywhere. A formula KaTeX cannot parse (or one with
// non-LaTeX input such as a Unicode θ, `strict`) is logged as a TypeDoc error, which fails
// `pnpm run docs`.
//
// Writing math: TypeDoc reads `\{`, `\}` and `\@` as escapes before markdown, so write braces as
// `\lbrace … \rbrace`; a literal `|` would split a table cell, so write `\lvert`, `\lVert`.
import markdownItKatex from '@vscode/markdown-it-katex';
import katex from 'katex';
import { Application } from 'typedoc';

/**
 * First code point of A–Z and a–z in Unicode's mathematical alphabets, and the letters that live elsewhere.
 * @type {Record<string, { upper: number; lower: number; holes: Record<string, string> }>}
 */
const ALPHABETS = {
  'double-struck': { upper: 0x1d538, lower: 0x1d552, holes: { C: 'ℂ', H: 'ℍ', N: 'ℕ', P: 'ℙ', Q: 'ℚ', R: 'ℝ', Z: 'ℤ' } },
  script: { upper: 0x1d49c, lower: 0x1d4b6, holes: { B: 'ℬ', E: 'ℰ', F: 'ℱ', H: 'ℋ', I: 'ℐ', L: 'ℒ', M: 'ℳ', R: 'ℛ', e: 'ℯ', g: 'ℊ', o: 'ℴ' } },
  fraktur: { upper: 0x1d504, lower: 0x1d51e, holes: { C: 'ℭ', H: 'ℌ', I: 'ℑ', R: 'ℜ', Z: 'ℨ' } },
  bold: { upper: 0x1d400, lower: 0x1d41a, holes: {} },
};

/**
 * MathML Core (Chromium) ignores `mathvariant` other than "normal", so \mathbb{R} would show a
 * plain R: write such letters as the Unicode mathematical alphanumerics instead (ℝ, 𝒩, 𝐱).
 * @param {string} mathml
 * @returns {string}
 */
function unicodeVariants(mathml) {
  return mathml.replace(/<mi mathvariant="(double-struck|script|fraktur|bold)">([A-Za-z]+)<\/mi>/g, (_, /** @type {string} */ variant, /** @type {string} */ letters) => {
    const a = /** @type {{ upper: number; lower: number; holes: Record<string, string> }} */ (ALPHABETS[variant]);
    const mapped = [...letters].map((ch) => a.holes[ch] ?? String.fromCodePoint(
      ch <= 'Z' ? a.upper + ch.charCodeAt(0) - 65 : a.lower + ch.charCodeAt(0) - 97)).join('');
    return `<mi>${mapped}</mi>`;
  });
}

/** @param {import('typedoc').Application} app */
export function load(app) {
  /** @type {(tex: string, options?: import('katex').KatexOptions) => string} */
  const renderToString = (tex, options) => {
    try {
      return unicodeVariants(katex.renderToString(tex, { ...options, output: 'mathml', throwOnError: true, strict: 'error' }));
    } catch (error) {
      app.logger.error(`math: cannot render $${tex}$: ${error instanceof Error ? error.message : String(error)}`);
      return '';
    }
  };
  // Bootstrap resets the options after loading plugins, so the loader is set once it has read them.
  app.on(Application.EVENT_BOOTSTRAP_END, () => {
    app.options.setValue('markdownItLoader', (parser) => {
      parser.use(markdownItKatex.default ?? markdownItKatex, { katex: { ...katex, renderToString } });
    });
  });
}
