/** Word lists for generated pages: common English and subject words first, made-up words for the long tail. */
import { Random } from './random.js';

// Ordered roughly by how often a wiki article uses them: the Zipf pick favours the front.
const COMMON = `the of and to in a is that for it as was with be by on not he this are or his from at which
but an they have one you were all their there been has more can also its when other into would some
these than them most only then time first may over such after many years used two new where between
through during about each under both while made well since early known later called however part
system people world number group work three before several because public set use local design open
network peer community project software protocol standard internet web page article editor edit
history version source code data node server client message mail address link text content user
member volunteer library school city river garden village market music language science research
model theory method study process service support access control change review policy rule process
development network release license archive index search record report document draft proposal
working committee meeting consensus vote decision discussion list forum board council team region
country state nation period century decade movement society culture economy trade energy water
transport railway bridge station road building church school university college museum festival
computer machine device hardware memory storage file database query table column key value field
packet route router switch cable radio wireless signal frequency channel band antenna mesh relay
encryption key certificate security privacy trust identity account password token session cookie
browser cache proxy gateway domain name resolver zone registry mirror backup replica cluster shard
distributed decentralized federated open free public private shared common local global regional
early modern ancient medieval classical contemporary digital analog physical virtual social
political economic technical scientific cultural historical educational commercial industrial`
  .split(/\s+/)
  .filter(Boolean);

const SUBJECTS = `network protocol standard commons library encyclopedia wiki archive garden cooperative
union federation guild school market exchange bank currency ledger registry mirror relay bridge
tracker torrent swarm mesh grid cluster forum board list channel radio station repository project
foundation society council assembly committee movement festival museum observatory laboratory
workshop studio press journal newsletter magazine bulletin gazette almanac atlas catalogue index`
  .split(/\s+/)
  .filter(Boolean);

const ADJECTIVES = `open free peer distributed decentralized federated public shared community mutual
cooperative volunteer local regional national global digital early modern alternative independent
autonomous collaborative neighbourhood municipal rural urban coastal northern southern eastern western`
  .split(/\s+/)
  .filter(Boolean);

const PLACES = `Amsterdam Berlin Bristol Chicago Dakar Edinburgh Helsinki Kyoto Lagos Lima Lisbon
Melbourne Montreal Nairobi Oslo Porto Seoul Taipei Toronto Valparaiso Vienna Wellington Zurich`
  .split(/\s+/)
  .filter(Boolean);

const SYLLABLES = 'ka ri to me la no vi sa de mu po ne ta li ro be ga fi zu ho wen dar mor tel quin spar lin vor'.split(' ');

export const CATEGORY_NAMES = `Networks Protocols Standards Communities Software History Organizations
Projects Libraries Cooperatives Technology Infrastructure Education Culture Economics Science
Wireless Cryptography Archives Publishing Governance Law Cities Events People Media`
  .split(/\s+/)
  .filter(Boolean);

/** Common words searched by the benchmark: some frequent, some rare. */
export const SEARCH_WORDS = ['network', 'protocol', 'library', 'consensus', 'railway', 'encryption', 'festival', 'garden', 'volunteer', 'archive'];

export const EDIT_COMMENTS = ['copyedit', 'fix typo', 'expand section', 'add source', 'clarify', 'update figures',
  'wording', 'add link', 'remove duplicate sentence', 'formatting', '', 'new section', 'grammar', 'per talk page'];

/** A vocabulary: the lists above, then made-up words (deterministic for a seed). */
export function vocabulary(rng: Random, extra = 4000): string[] {
  const words = [...new Set([...COMMON, ...SUBJECTS, ...ADJECTIVES])];
  const seen = new Set(words);
  const target = words.length + extra;
  for (let tries = 0; words.length < target && tries < extra * 20; tries++) {
    let w = '';
    for (let i = rng.int(2, 4); i > 0; i--) w += rng.pick(SYLLABLES);
    if (!seen.has(w)) {
      seen.add(w);
      words.push(w);
    }
  }
  return words;
}

export function capitalize(s: string): string {
  return s.charAt(0).toUpperCase() + s.slice(1);
}

/** One candidate page title (maybe already taken: the caller keeps titles unique). */
export function titleCandidate(rng: Random, words: readonly string[]): string {
  const subject = rng.pick(SUBJECTS);
  switch (rng.int(0, 6)) {
    case 0:
      return `${capitalize(rng.pick(ADJECTIVES))} ${subject}`;
    case 1:
      return `${capitalize(words[rng.zipf(words.length)]!)} ${subject}`;
    case 2:
      return `${capitalize(subject)} of ${rng.pick(PLACES)}`;
    case 3:
      return `History of the ${rng.pick(ADJECTIVES)} ${subject}`;
    case 4:
      return `${capitalize(words[rng.zipf(words.length)]!)} ${words[rng.zipf(words.length)]!} ${subject}`;
    case 5:
      return `${rng.pick(PLACES)} ${subject}`;
    default:
      return `${capitalize(rng.pick(ADJECTIVES))} ${words[rng.zipf(words.length)]!} ${subject}`;
  }
}
