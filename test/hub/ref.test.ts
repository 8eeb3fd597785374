import { describe, expect, it } from 'vitest';
import { formatHubRef, isCommitSha, isHubRef, parseHubRef } from '../../src/hub/ref.js';

describe('parseHubRef', () => {
  it('reads ORG/NAME with an optional revision (main by default)', () => {
    expect(parseHubRef('hf:Xenova/clip-vit-base-patch32')).toEqual({ repo: 'Xenova/clip-vit-base-patch32', revision: 'main' });
    expect(parseHubRef('hf:Xenova/siglip-base-patch16-224@v1.0')).toEqual({ repo: 'Xenova/siglip-base-patch16-224', revision: 'v1.0' });
    expect(parseHubRef('hf:gpt2@refs/pr/1')).toEqual({ repo: 'gpt2', revision: 'refs/pr/1' });
    const sha = 'a'.repeat(40);
    expect(parseHubRef(`hf:a/b@${sha}`).revision).toBe(sha);
  });

  it.each([
    ['hf:', /'' is not a repository id/],
    ['hf:a/b/c', /'a\/b\/c' is not a repository id/],
    ['hf:a/-b', /not a repository id/],
    ['hf:a--b/c', /no '--', '\.\.' or '\.git'/],
    ['hf:a/b.git', /no '--'/],
    ['hf:a/b@', /'' is not a revision/],
    ['hf:a/b@x/../y', /is not a revision/],
  ])('refuses %s', (ref, message) => {
    expect(() => parseHubRef(ref)).toThrow(message);
  });

  it('formats back and recognises commit shas and hf: refs', () => {
    expect(formatHubRef(parseHubRef('hf:a/b'))).toBe('hf:a/b@main');
    expect(isCommitSha('0123456789abcdef0123456789abcdef01234567')).toBe(true);
    expect(isCommitSha('main')).toBe(false);
    expect(isHubRef('hf:a/b')).toBe(true);
    expect(isHubRef('./hf:a')).toBe(false);
  });
});
