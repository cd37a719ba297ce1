import type { DetectionResult, Detector, Finding } from '../types.ts';
import { type NormalizationSignal, type NormalizedText, normalizeForDetection } from './normalize.ts';

// Obfuscations that are findings in themselves: they hide text from a human reviewer (tags, selectors, bidi
// overrides) or exist only to dodge filters. Encodings, leetspeak and spaced letters are not listed: they are
// common in honest text and only matter for what they decode to, which the injection detector scans.
const FINDINGS: Partial<Record<NormalizationSignal, { type: string; score: number }>> = {
  tag_chars: { type: 'tag_smuggling', score: 0.95 },
  variation_selector_payload: { type: 'variation_selector_smuggling', score: 0.95 },
  bidi_override: { type: 'bidi_override', score: 0.85 },
  bidi_control: { type: 'bidi_control', score: 0.6 },
  homoglyph: { type: 'homoglyph', score: 0.6 },
  zero_width: { type: 'zero_width', score: 0.5 },
  combining_marks: { type: 'combining_marks', score: 0.4 },
  variation_selectors: { type: 'variation_selectors', score: 0.4 },
  control_chars: { type: 'control_chars', score: 0.3 },
  invisible_chars: { type: 'invisible_chars', score: 0.3 },
};

/** Characters removed from the text handed on: invisible, directional and tag controls carry no visible meaning. */
const STRIP_RE =
  /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f-\u009f\u00ad\u180e\u200b-\u200f\u202a-\u202e\u2060-\u2069\ufeff\u{e0000}-\u{e007f}]|\u034f|[\ufe00-\ufe0f]{2,}|[\u{e0100}-\u{e01ef}]+/gu;

/** The input without invisible, bidi, tag and smuggling characters; everything visible is kept as is. */
export function stripInvisible(text: string): string {
  return text.replace(STRIP_RE, (m: string, at: number) => {
    // A joiner between two non-ASCII characters is part of an emoji sequence or a script's shaping and stays.
    if (m !== '\u200d') return '';
    const before = text.charCodeAt(at - 1);
    const after = text.charCodeAt(at + 1);
    return before > 0x7f && after > 0x7f ? m : '';
  });
}

/**
 * Reports obfuscation in a text: tag-character and variation-selector smuggling, bidi controls, look-alike letters
 * mixed into Latin words, zero-width characters splitting words, combining-mark abuse. `text` in the result is the
 * input with invisible characters removed, when there were any.
 */
export const unicodeDetector: Detector = {
  name: 'unicode',
  detect(text: string): DetectionResult {
    const findings = unicodeFindings(normalizeForDetection(text, { maxDepth: 0, maxPayloads: 0 }));
    const result: DetectionResult = { findings };
    if (findings.length > 0) {
      const stripped = stripInvisible(text);
      if (stripped !== text) result.text = stripped;
    }
    return result;
  },
};

/**
 * The unicode findings of a text already normalised (for instance by the injection analysis), so the
 * screening pipeline does not normalise the same text twice.
 */
export function unicodeFindings(n: NormalizedText): Finding[] {
  const findings: Finding[] = [];
  for (const o of n.obfuscations) {
    const f = FINDINGS[o.signal];
    if (!f) continue;
    findings.push({
      detector: 'unicode',
      type: f.type,
      start: o.start,
      end: o.end,
      score: f.score,
      signals: [o.signal],
    });
  }
  return findings;
}
