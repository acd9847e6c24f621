import { describe, expect, it } from 'vitest';
import { sanitiseLetterHtml } from './letter-html';

describe('letter HTML', () => {
  it('keeps simple structure and text', () => {
    const html =
      '<!DOCTYPE html><html><head><title>Letter</title></head><body><h1>Clinic letter</h1><p>Dear Amelia,</p><ul><li>Keep taking <strong>your inhaler</strong></li></ul><p>Fish &amp; chips &copy; 3 < 4</p></body></html>';
    expect(sanitiseLetterHtml(html)).toBe(
      '<h2>Clinic letter</h2><p>Dear Amelia,</p><ul><li>Keep taking <strong>your inhaler</strong></li></ul><p>Fish &amp; chips &copy; 3 &lt; 4</p>',
    );
  });

  it('removes scripts, styles, event handlers and dangerous links', () => {
    const hostile = [
      '<p onclick="steal()" style="color:red" class="x">Hello</p>',
      '<script>alert(1)</script><SCRIPT src="https://evil.example/x.js"></SCRIPT>',
      '<style>body{display:none}</style>',
      '<img src=x onerror=alert(1)>',
      '<svg onload=alert(1)><script>alert(2)</script></svg>',
      '<iframe src="javascript:alert(3)"></iframe>',
      '<a href="javascript:alert(4)">click</a>',
      '<a href=" JaVaScRiPt:alert(5)">again</a>',
      '<a href="&#106;avascript:alert(6)">encoded</a>',
      '<a href="data:text/html,<script>alert(7)</script>">data</a>',
      '<a href="https://www.nhs.uk/conditions/asthma/" target="_blank" onmouseover="x()">NHS asthma</a>',
      '<p title="a>b" onmouseover="alert(8)">quoted</p>',
      '<!-- <script>alert(9)</script> -->',
      '<form action="https://evil.example"><input name="password"></form>',
      '<div><p>unclosed',
      '</td></table></main>',
      '<scr<script>ipt>alert(10)</script>',
    ].join('');
    const clean = sanitiseLetterHtml(hostile);
    for (const bad of [
      '<script',
      '<style',
      'onclick',
      'onerror',
      'onload',
      'onmouseover',
      'style=',
      'javascript:',
      'JaVaScRiPt',
      '&#106;',
      'data:',
      '<img',
      '<svg',
      '<iframe',
      '<form',
      '<input',
      '</main>',
      '</table>',
      'alert(1)',
      'alert(2)',
      'alert(9)',
    ]) {
      expect(clean).not.toContain(bad);
    }
    expect(clean).toContain('<p>Hello</p>');
    expect(clean).toContain('<a>click</a>');
    expect(clean).toContain('<a href="https://www.nhs.uk/conditions/asthma/" rel="noopener noreferrer">NHS asthma</a>');
    expect(clean).toContain('<p>quoted</p>');
    // What is left open is closed at the end; a broken tag is left as inert text.
    expect(clean).toMatch(/<p>unclosedipt&gt;alert\(10\)<\/p>$/);
    expect(clean.match(/<[^>]*>/g)!.every((tag) => /^<\/?(p|h2|ul|li|strong|a)( href="https:[^"]+" rel="noopener noreferrer")?>$/.test(tag))).toBe(true);
  });
});
