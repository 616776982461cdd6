import { describe, expect, it } from 'vitest';
import { FileNamer, fileNameOf, titleOfFileName } from '../../server/cli/fileNames.js';

describe('export file names', () => {
  it.each([
    { name: 'spaces', title: 'Peer networks', file: 'Peer_networks.md' },
    { name: 'a subpage', title: 'Peer networks/History', file: 'Peer_networks%2FHistory.md' },
    { name: 'a namespace', title: 'Talk:Peer networks', file: 'Talk%3APeer_networks.md' },
    { name: 'a parent-folder segment', title: 'A/../B', file: 'A%2F..%2FB.md' },
    { name: 'a leading dot', title: '..dots', file: '%2E.dots.md' },
    { name: 'a backslash', title: 'C:\\Windows', file: 'C%3A%5CWindows.md' },
    { name: 'Windows reserved characters', title: 'Why? "Quoted" *star*', file: 'Why%3F_%22Quoted%22_%2Astar%2A.md' },
    { name: 'percent and tilde', title: '100% ~ish', file: '100%25_%7Eish.md' },
    { name: 'a temporary user page', title: 'User:~2026-17', file: 'User%3A%7E2026-17.md' },
    { name: 'a device name', title: 'Nul', file: '%4Eul.md' },
    { name: 'a device name with an extension', title: 'Com1.txt', file: '%43om1.txt.md' },
    { name: 'a device name inside a longer word', title: 'Console', file: 'Console.md' },
    { name: 'non-ASCII letters', title: 'Überblick: 日本', file: 'Überblick%3A_日本.md' },
  ])('$name: "$title" is $file and back', ({ title, file }) => {
    expect(fileNameOf(title)).toBe(file);
    expect(titleOfFileName(file)).toBe(title);
    expect(file).not.toMatch(/[/\\:*?"<>|]/);
  });

  it('gives titles that differ only in case different names, ending in a hash', () => {
    const namer = new FileNamer();
    expect(namer.name('Peer networks')).toBe('Peer_networks.md');
    const other = namer.name('Peer Networks');
    expect(other).toMatch(/^Peer_Networks~[0-9a-f]{12}\.md$/);
    expect(titleOfFileName(other)).toBeUndefined(); // history.json maps it
    expect(namer.name('PEER NETWORKS')).not.toBe(other);
  });

  it('shortens names past 200 bytes without splitting a character or an escape', () => {
    const namer = new FileNamer();
    const title = `${'é'.repeat(60)}${'/'.repeat(1)}${'ü'.repeat(60)}`;
    const name = namer.name(title);
    expect(Buffer.byteLength(name)).toBeLessThanOrEqual(200);
    expect(name).toMatch(/^(é{60}%2F)?ü*~[0-9a-f]{12}\.md$|^é+(%2F)?ü*~[0-9a-f]{12}\.md$/);
    expect(name.isWellFormed()).toBe(true);
    const percents = 'a%'.repeat(100);
    expect(namer.name(percents)).toMatch(/^(a%25)+~[0-9a-f]{12}\.md$/);
  });

  it('reads no title from names it did not write', () => {
    expect(titleOfFileName('notes.txt')).toBeUndefined();
    expect(titleOfFileName('bad%E0.md')).toBeUndefined();
  });
});
