import { describe, expect, it } from 'vitest';
import { parseTitle, storedTitle, talkTitleOf, subjectTitleOf, wikiPath } from '../../server/wiki/title.js';
import { InvalidTitleError } from '../../server/wiki/errors.js';

describe('parseTitle: valid titles', () => {
  it.each([
    { name: 'plain', raw: 'Peer networks', text: 'Peer networks', key: 'Peer_networks', ns: '' },
    { name: 'first letter upper-cased', raw: 'peer networks', text: 'Peer networks', key: 'Peer_networks', ns: '' },
    { name: 'rest keeps its case', raw: 'Peer Networks', text: 'Peer Networks', key: 'Peer_Networks', ns: '' },
    { name: 'underscores become spaces', raw: 'Peer_networks', text: 'Peer networks', key: 'Peer_networks', ns: '' },
    { name: 'white space collapsed', raw: 'Peer   \t networks', text: 'Peer networks', key: 'Peer_networks', ns: '' },
    { name: 'trimmed', raw: '  Peer networks _ ', text: 'Peer networks', key: 'Peer_networks', ns: '' },
    { name: 'NFC', raw: 'Cafe\u0301', text: 'Caf\u00e9', key: 'Caf\u00e9', ns: '' },
    { name: 'non-Latin first letter', raw: 'ελληνικά', text: 'Ελληνικά', key: 'Ελληνικά', ns: '' },
    { name: 'astral first letter kept', raw: '𝒜lgebra', text: '𝒜lgebra', key: '𝒜lgebra', ns: '' },
    { name: 'subpage', raw: 'Peer networks/History', text: 'Peer networks/History', key: 'Peer_networks/History', ns: '' },
    { name: 'Talk namespace', raw: 'Talk:Peer networks', text: 'Talk:Peer networks', key: 'Talk:Peer_networks', ns: 'Talk' },
    { name: 'namespace case-insensitive', raw: 'talk:peer networks', text: 'Talk:Peer networks', key: 'Talk:Peer_networks', ns: 'Talk' },
    { name: 'User talk with underscore', raw: 'user_talk:alice', text: 'User talk:Alice', key: 'User_talk:Alice', ns: 'User talk' },
    { name: 'Category', raw: 'CATEGORY:Internet', text: 'Category:Internet', key: 'Category:Internet', ns: 'Category' },
    { name: 'Help', raw: 'help: editing', text: 'Help:Editing', key: 'Help:Editing', ns: 'Help' },
    { name: 'Peerwiki namespace', raw: 'peerwiki:About', text: 'Peerwiki:About', key: 'Peerwiki:About', ns: 'Peerwiki' },
    { name: 'unknown prefix is part of the name', raw: 'RFC: 822', text: 'RFC: 822', key: 'RFC:_822', ns: '' },
    { name: 'colon later in the name', raw: 'Email: a history', text: 'Email: a history', key: 'Email:_a_history', ns: '' },
    { name: 'dots inside a segment are fine', raw: 'Node.js', text: 'Node.js', key: 'Node.js', ns: '' },
    { name: 'exactly 255 bytes', raw: 'A'.repeat(255), text: 'A'.repeat(255), key: 'A'.repeat(255), ns: '' },
  ])('$name', ({ raw, text, key, ns }) => {
    const t = parseTitle(raw);
    expect(t.text).toBe(text);
    expect(t.key).toBe(key);
    expect(t.namespace).toBe(ns);
  });
});

describe('parseTitle: invalid titles', () => {
  it.each([
    { name: 'empty', raw: '', why: /empty/ },
    { name: 'only spaces and underscores', raw: ' _ _ ', why: /empty/ },
    { name: 'hash', raw: 'Peer#networks', why: /#/ },
    { name: 'less than', raw: 'a<b', why: /</ },
    { name: 'greater than', raw: 'a>b', why: />/ },
    { name: 'open bracket', raw: 'a[b', why: /\[/ },
    { name: 'close bracket', raw: 'a]b', why: /\]/ },
    { name: 'pipe', raw: 'a|b', why: /\|/ },
    { name: 'open brace', raw: 'a{b', why: /\{/ },
    { name: 'close brace', raw: 'a}b', why: /\}/ },
    { name: 'control character', raw: 'a\u0007b', why: /control/ },
    { name: 'DEL', raw: 'a\u007fb', why: /control/ },
    { name: 'slash at start', raw: '/Peer', why: /start or end/ },
    { name: 'slash at end', raw: 'Peer/', why: /start or end/ },
    { name: 'dot segment', raw: 'Peer/./x', why: /segment/ },
    { name: 'dot-dot segment', raw: 'Peer/../x', why: /segment/ },
    { name: 'only dot-dot', raw: '..', why: /segment/ },
    { name: 'namespace alone', raw: 'Talk:', why: /nothing after/ },
    { name: 'namespace with spaces only', raw: 'Talk:  ', why: /nothing after/ },
    { name: 'too long', raw: 'A'.repeat(256), why: /255 bytes/ },
    { name: 'too long in UTF-8 bytes', raw: 'é'.repeat(128), why: /255 bytes/ },
    { name: 'lone surrogate', raw: 'a\ud800b', why: /Unicode/ },
    { name: 'zero-width space', raw: 'Peer\u200bnetworks', why: /invisible/ },
    { name: 'right-to-left mark', raw: 'Peer networks\u200f', why: /invisible/ },
    { name: 'bidi override', raw: '\u202ePeer', why: /invisible/ },
    { name: 'soft hyphen', raw: 'Peer\u00adnetworks', why: /invisible/ },
    { name: 'word joiner', raw: 'Peer\u2060networks', why: /invisible/ },
    { name: 'joiner at the end', raw: 'Peer\u200d', why: /invisible/ },
    { name: 'non-joiner after a space', raw: 'Peer \u200cnetworks', why: /invisible/ },
  ])('$name', ({ raw, why }) => {
    expect(() => parseTitle(raw)).toThrow(InvalidTitleError);
    expect(() => parseTitle(raw)).toThrow(why);
  });
});

describe('parseTitle: joiners inside words', () => {
  it.each([
    { name: 'Persian non-joiner', raw: 'می\u200cخواهم' },
    { name: 'emoji sequence', raw: 'Family 👩\u200d👧' },
  ])('keeps $name', ({ raw }) => {
    expect(parseTitle(raw).text).toBe(raw);
  });
});

describe('storedTitle', () => {
  it.each(['Peer networks', 'Talk:Peer networks', 'User talk:Alice', 'Help:Editing', 'RFC: 822', 'Talk:Help:Editing', 'Peer networks/History', 'Email: a history'])(
    'splits %j exactly as parseTitle does',
    (text) => {
      expect(storedTitle(text)).toEqual(parseTitle(text));
    },
  );
});

describe('title helpers', () => {
  it('builds URL paths with encoded segments and readable colons', () => {
    expect(wikiPath(parseTitle('Talk:Peer networks/History'))).toBe('/wiki/Talk:Peer_networks/History');
    expect(wikiPath(parseTitle('What? 100%'))).toBe('/wiki/What%3F_100%25');
  });

  it('pairs subject and talk pages', () => {
    expect(talkTitleOf(parseTitle('Peer network'))!.text).toBe('Talk:Peer network');
    expect(talkTitleOf(parseTitle('User:Alice'))!.text).toBe('User talk:Alice');
    expect(talkTitleOf(parseTitle('Help:Editing'))!.text).toBe('Talk:Help:Editing');
    expect(talkTitleOf(parseTitle('A'.repeat(252)))).toBeUndefined();
    expect(subjectTitleOf(parseTitle('Talk:Help:Editing')).text).toBe('Help:Editing');
    expect(subjectTitleOf(parseTitle('User talk:Alice')).text).toBe('User:Alice');
  });
});
