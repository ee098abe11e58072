/// <reference path="./render/hljsLanguages.d.ts" />
/**
 * The syntax highlighter, a script of its own: highlight.js is the largest part of the chat's
 * code, and the chat should take input before it is loaded. The main script adds this one
 * when the first code block needs it; code shown before then is highlighted when it arrives. Only
 * the core of highlight.js and common languages are included. Language auto-detection is
 * never used: it runs every grammar over the code, far too slow while answers stream in.
 */
import hljs from 'highlight.js/lib/core';
import bash from 'highlight.js/lib/languages/bash';
import c from 'highlight.js/lib/languages/c';
import cpp from 'highlight.js/lib/languages/cpp';
import csharp from 'highlight.js/lib/languages/csharp';
import css from 'highlight.js/lib/languages/css';
import diff from 'highlight.js/lib/languages/diff';
import dockerfile from 'highlight.js/lib/languages/dockerfile';
import go from 'highlight.js/lib/languages/go';
import ini from 'highlight.js/lib/languages/ini';
import java from 'highlight.js/lib/languages/java';
import javascript from 'highlight.js/lib/languages/javascript';
import json from 'highlight.js/lib/languages/json';
import kotlin from 'highlight.js/lib/languages/kotlin';
import markdown from 'highlight.js/lib/languages/markdown';
import php from 'highlight.js/lib/languages/php';
import plaintext from 'highlight.js/lib/languages/plaintext';
import powershell from 'highlight.js/lib/languages/powershell';
import python from 'highlight.js/lib/languages/python';
import ruby from 'highlight.js/lib/languages/ruby';
import rust from 'highlight.js/lib/languages/rust';
import scss from 'highlight.js/lib/languages/scss';
import shell from 'highlight.js/lib/languages/shell';
import sql from 'highlight.js/lib/languages/sql';
import swift from 'highlight.js/lib/languages/swift';
import typescript from 'highlight.js/lib/languages/typescript';
import xml from 'highlight.js/lib/languages/xml';
import yaml from 'highlight.js/lib/languages/yaml';

const languages = {
  bash, c, cpp, csharp, css, diff, dockerfile, go, ini, java, javascript, json, kotlin, markdown,
  php, plaintext, powershell, python, ruby, rust, scss, shell, sql, swift, typescript, xml, yaml,
};

for (const [name, language] of Object.entries(languages)) hljs.registerLanguage(name, language);
// Fence names models use that the grammars above do not list as aliases.
hljs.registerAliases(['jsonc', 'json5'], { languageName: 'json' });
hljs.registerAliases(['sh', 'zsh'], { languageName: 'bash' });
hljs.registerAliases(['vue', 'svelte', 'svg'], { languageName: 'xml' });
hljs.registerAliases(['toml'], { languageName: 'ini' });
hljs.registerAliases(['text', 'txt'], { languageName: 'plaintext' });


export interface Highlighter {
  /** Highlighted HTML (escaped text inside hljs spans), or undefined for an unknown language. */
  highlight(code: string, language: string): string | undefined;
}

const highlighter: Highlighter = {
  highlight(code, language) {
    if (language === '' || hljs.getLanguage(language) === undefined) return undefined;
    try {
      return hljs.highlight(code, { language, ignoreIllegals: true }).value;
    } catch {
      return undefined;
    }
  },
};

(globalThis as { patchbayHighlighter?: Highlighter }).patchbayHighlighter = highlighter;
if (typeof window !== 'undefined') window.dispatchEvent(new Event('patchbay-highlighter'));
