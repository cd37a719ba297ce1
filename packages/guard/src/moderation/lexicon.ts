// Hand-written word lists and phrase rules per category: a signal that does not depend on the training data, so it
// carries over to text unlike the 1,680 training rows, and the only signal for `illicit`, which has no labels.
//
// Matching is token-triggered: every token of the detection copy is looked up (by hash) in one table; only when a
// trigger word is present is its rule's phrase pattern run, and only over the sentence around it. The cost is one
// hash lookup per token for clean text. Lookups also try the word without a common suffix (kills -> kill), with
// stretched letters squeezed (kiiill -> kill) and with masking stars filled (f*ck), on top of what the
// normaliser already undoes (leetspeak, spacing, look-alikes, encodings).
//
// Slurs are stored as hashes of the word (see hash.ts) so that the repository does not carry them in clear; their
// weights are lower where the word has an innocent homograph. `slurHash('word')` gives the hash of a new entry.

import type { Tokens } from '../ml/features.ts';
import { FNV_OFFSET, FNV_PRIME, fmix32, hashString } from '../ml/hash.ts';
import type { ModerationCategory } from './categories.ts';

export type CategoryWeights = Partial<Record<ModerationCategory, number>>;

export interface LexiconRule {
  id: string;
  /** Trigger words, lower case. */
  words: readonly string[];
  /** Category weights (0..1) when the rule fires. */
  out: CategoryWeights;
  /** Must match the sentence around the trigger (lower-cased), else the rule does not fire. */
  near?: RegExp;
  /** Must also match the trigger's own sentence (a request for help), else `alone` applies. */
  with?: RegExp;
  /** Cheap necessary condition for `near`, tested first on the same context (shared regexes are cached). */
  requires?: RegExp;
  /** Vetoes the rule when it matches the sentence (defensive or innocent use). */
  unless?: RegExp;
  /** Weights used instead of `out` when the trigger is present but `near` does not match. */
  alone?: CategoryWeights;
}

export interface LexiconHit {
  rule: string;
  category: ModerationCategory;
  weight: number;
  /** Span of the sentence that holds the trigger, in the scanned text. */
  start: number;
  end: number;
}

export interface LexiconResult {
  /** Noisy-or of the distinct rules that fired, per category. */
  scores: Partial<Record<ModerationCategory, number>>;
  /** Strongest hit per category. */
  best: Partial<Record<ModerationCategory, LexiconHit>>;
}

// ---------------------------------------------------------------------------------------------------------------
// Shared fragments

const YOU = `(?:you|you're|youre|ur|u|your|yourself|ya|thou)`;
const FIRST = `(?:i|i'm|im|i've|ive|i'll|i'd|me|my|myself)`;
const WILL = `(?:will|'ll|ll|am going to|'m going to|m going to|going to|gonna|want to|wanna|am gonna|'m gonna|shall|should|must|would like to|'d like to)`;
const GROUPS = `(?:jews|jewish people|the jews|muslims|moslems|islam|islamists|arabs|blacks|black people|black men|black women|whites|white people|asians|chinese people|the chinese|mexicans|latinos|hispanics|immigrants|migrants|refugees|foreigners|gays|gay people|gay men|lesbians|homosexuals|queers|trans people|transgender people|trans women|trans men|transgenders|women|females|feminists|christians|hindus|sikhs|indians|africans|gypsies|roma|the disabled|disabled people|jew|muslim|immigrant|negroes|catholics|atheists)`;
const DEHUMANISE = `(?:animals|vermin|parasites|subhuman|sub-human|cockroaches|roaches|rats|scum|filth|savages|inferior|a disease|a plague|a cancer|cancer|trash|garbage|pigs|apes|monkeys|dogs|beasts|not human|not people|less than human|evil|a virus|an infestation|degenerates|abominations?|terrorists|criminals|rapists|thieves|pedophiles|paedophiles|groomers|mentally ill|genetically inferior|a lower race|lower)`;
const EXTERMINATE = `(?:die|be killed|be exterminated|be gassed|be wiped out|be eliminated|be shot|be hanged|be hung|be lynched|burn|hang|be burned|be purged|be eradicated|not exist|not be allowed to live|be sterili[sz]ed)`;
const KILL_VERBS = `(?:kill|murder|exterminate|gas|lynch|hang|shoot|slaughter|massacre|wipe out|eradicate|eliminate|purge|burn|behead|genocide|stab|nuke|bomb|attack|beat|starve)`;
const SEXUAL = String.raw`(?:sex|sexual|sexually|sexy|porn|porno|pornography|nude|nudes|naked|fuck|fucking|fucked|rape|raped|molest|molested|molesting|orgasm|penis|vagina|pussy|cock|dick|erection|masturbat\w*|blowjob|cum|cumming|horny|erotic|seduce|seduced|intercourse|genitals|breasts|boobs|tits|nipples|undress|undressed|strip|grope|groped|fondle|fondled|lewd|aroused|arousing|kinky|fetish|hentai|onlyfans)`;
const MINOR = `(?:child|children|kid|kids|minor|minors|underage|under-age|preteen|pre-teen|prepubescent|toddler|toddlers|infant|little girls?|little boys?|schoolgirls?|schoolboy|young girls?|young boys?|(?:[1-9]|1[0-7])[- ]?(?:yo|y/o|years?[- ]old|yrs?[- ]old)|loli|lolis|shota)`;
/** Words that often but not always mean a minor ("teen" is also an adult-content genre, "son" an adult son). */
const MINOR_WEAK = `(?:teen|teens|teenage|teenager|teenagers|young teen|juvenile|middle school|elementary school|grade schooler|daughter|son|niece|nephew|stepdaughter|stepson|babysitter)`;
const REQUEST = String.raw`(?:how (?:do|can|could|would|should|might|will|to|would one|does one) |how to|(?:some|any|a|an easy|a good|the best|the easiest|the quickest|the safest|effective|good|easy|simple) (?:ways?|methods?|strateg(?:y|ies)|tips|tricks|places?|targets?|techniques?) (?:to|that|for|of|i|we)|ways? to|(?:best|easiest|quickest|fastest|simplest|safest|most effective) (?:way|ways|method|methods|place|places|time|target|targets|strateg(?:y|ies)|tool|tools)|which [\w'’-]+ (?:is|are) (?:the )?(?:easiest|best)|what [\w'’-]+ (?:can|should|could) (?:i|we)|is there (?:a|any|some) way|do you know (?:how|which|where|what|a way)|steps? (?:to|for)|guide (?:to|for|on)|tutorial|instructions? (?:for|on|to)|teach me|show me|help me|tips (?:on|for)|tricks? (?:to|for)|recipe|where (?:can|do|could|would|should) (?:i|we|one|someone|you)|i (?:want|need|plan|intend|would like|wish|am planning|'m planning|am trying|'m trying|have) to|i'?m going to|i'?ll|(?:can|could|will|would) you|please|give me|tell me|explain how|walk me through|what(?:'s| is| are| would be)? (?:the )?(?:best|easiest|quickest|fastest|simplest|most effective|good)|what (?:should|do|would|can) i|is it possible to|any (?:advice|ideas|suggestions)|advice on|need a (?:plan|way)|\bwrite\b|\bcreate\b|\bgenerate\b|\bbuild\b|\bmake\b|\bcode\b|\bdevelop\b)`;
/** One word and its space, in the gaps patterns allow between words ("hack into my ex's account"). */
const W = String.raw`[\w'’-]+ `;
const DEFENSIVE = `(?:protect|prevent|preventing|prevention|defend|defence|defense|detect|detection|recogni[sz]e|spot|report|reporting|stop|safe from|secure|securing|guard against|avoid (?:being|getting)|victims?|what (?:should|to) do if|warning signs|awareness|signs of|history of|law against|illegal to|is it legal|penalty|penalties|sentence for|punishment|news|article|documentary|novel|story about|research)`;

/** Trigger words of the group-directed rules: plural and collective names of groups protected from hate speech. */
const GROUP_WORDS: readonly string[] = [
  'jews',
  'jew',
  'muslims',
  'muslim',
  'moslems',
  'islam',
  'islamists',
  'arabs',
  'blacks',
  'whites',
  'black',
  'white',
  'asians',
  'chinese',
  'mexicans',
  'latinos',
  'hispanics',
  'immigrants',
  'immigrant',
  'migrants',
  'refugees',
  'foreigners',
  'gays',
  'gay',
  'lesbians',
  'homosexuals',
  'queers',
  'trans',
  'transgender',
  'transgenders',
  'women',
  'females',
  'feminists',
  'christians',
  'hindus',
  'sikhs',
  'indians',
  'africans',
  'gypsies',
  'roma',
  'disabled',
  'negroes',
  'catholics',
  'atheists',
];

const re = (s: string) => new RegExp(s, 'i');
const SEXUAL_RE = re(String.raw`\b${SEXUAL}\b`);
const REQUEST_RE = re(String.raw`\b${REQUEST}`);

// ---------------------------------------------------------------------------------------------------------------
// Rules

const RULES: LexiconRule[] = [
  // --- sexual -------------------------------------------------------------------------------------------------
  {
    id: 'sexual.explicit',
    words: [
      'porn',
      'porno',
      'pornography',
      'pornographic',
      'blowjob',
      'handjob',
      'cumshot',
      'creampie',
      'deepthroat',
      'dildo',
      'masturbate',
      'masturbating',
      'masturbation',
      'masturbated',
      'orgasm',
      'orgasms',
      'orgasmed',
      'horny',
      'hentai',
      'erotica',
      'gangbang',
      'threesome',
      'milf',
      'jizz',
      'cumming',
      'titties',
      'clit',
      'clitoris',
      'fellatio',
      'cunnilingus',
      'sexting',
      'xxx',
    ],
    out: { sexual: 0.55 },
  },
  {
    id: 'sexual.anatomy_slang',
    words: ['pussy', 'cock', 'tits', 'boobs', 'boner', 'erection', 'cum', 'dick', 'penis', 'vagina', 'nipples', 'anal'],
    near: re(
      String.raw`\b(?:suck|lick|fuck|fucking|fucked|ride|riding|stroke|stroking|touch|touching|rub|rubbing|hard|wet|horny|naked|nude|sex|spread|moan|moaning|cum|inside|deep|tight|swallow|taste|throb\w*|grab\w*|squeez\w*|show me)\b`,
    ),
    out: { sexual: 0.6 },
    alone: { sexual: 0.3 },
    unless: re(
      String.raw`\b(?:doctor|medical|cancer|infection|anatomy|health|symptom|symptoms|pain|exam|rooster|chicken|hen|screw|valve|faucet|tap)\b`,
    ),
  },
  {
    id: 'sexual.acts',
    words: [
      'sex',
      'fuck',
      'fucked',
      'fucking',
      'naked',
      'nude',
      'nudes',
      'erotic',
      'sexy',
      'kinky',
      'fetish',
      'bdsm',
      'lewd',
    ],
    near: re(
      String.raw`\b(?:have sex|had sex|having sex|sex with|make love|fuck (?:me|her|him|them)|fucked (?:me|her|him|them)|fucking (?:me|her|him|them)|(?:her|his|my|your) (?:naked|nude) body|get naked|send (?:me )?(?:your |some |a few )?nudes|sex tape|erotic (?:story|stories|roleplay|massage)|sexy (?:pics|photos|pictures)|in bed with|bent (?:her|him|me) over|spread (?:her|his|my|your) legs|took off (?:her|his|my) (?:clothes|panties|bra|underwear)|sexual fantasies|sexual fantasy|sexual roleplay)\b`,
    ),
    out: { sexual: 0.55 },
    alone: { sexual: 0.12 },
    unless: re(
      String.raw`\b(?:sex education|sexual health|safe sex|sex ed|gender|sexual orientation|sexual harassment|sexual assault awareness)\b`,
    ),
  },

  // --- sexual/minors --------------------------------------------------------------------------------------------
  {
    id: 'sexual_minors.terms',
    words: ['lolicon', 'shotacon', 'jailbait', 'pedophilia', 'paedophilia', 'csam'],
    out: { sexual_minors: 0.55, sexual: 0.3 },
    unless: re(
      String.raw`\b(?:report|reporting|detect|detection|prevent|prevention|protect|victims?|survivors?|law|laws|police|arrested|convicted|charged|sentenced|investigation)\b`,
    ),
  },
  {
    id: 'sexual_minors.child_porn',
    words: ['child', 'children', 'kiddie', 'underage', 'teen', 'minor', 'minors', 'kid', 'kids'],
    near: re(
      String.raw`\b(?:child|children|kiddie|underage|teen|minor|minors|kid|kids)[- ]?(?:porn|porno|pornography|sex|nudes|naked pics)\b`,
    ),
    out: { sexual_minors: 0.75, sexual: 0.5 },
    unless: re(
      String.raw`\b(?:report|reporting|detect|detection|prevent|prevention|protect|victims?|survivors?|law|laws|police|arrested|convicted|charged|sentenced|investigation|education|trafficking awareness)\b`,
    ),
  },
  {
    id: 'sexual_minors.cooccurrence',
    requires: SEXUAL_RE,
    words: [
      'child',
      'children',
      'kid',
      'kids',
      'minor',
      'minors',
      'underage',
      'preteen',
      'prepubescent',
      'toddler',
      'toddlers',
      'infant',
      'schoolgirl',
      'schoolgirls',
      'schoolboy',
      'loli',
      'lolis',
      'shota',
      'old',
      'yo',
      'daughter',
      'stepdaughter',
      'son',
      'stepson',
      'niece',
      'nephew',
      'girl',
      'girls',
      'boy',
      'boys',
      'teen',
      'teens',
      'teenage',
      'teenager',
      'teenagers',
      'juvenile',
    ],
    near: re(String.raw`(?:\b${MINOR}\b[\s\S]{0,80}\b${SEXUAL}\b|\b${SEXUAL}\b[\s\S]{0,80}\b${MINOR}\b)`),
    unless: re(
      String.raw`\b(?:report|reporting|detect|prevent|prevention|protect|protection|abuse awareness|victims?|survivors?|law|laws|police|arrested|convicted|charged|sentenced|investigation|education|educational|sex ed|talk to (?:my|your) (?:child|kids|children|son|daughter)|puberty|pediatrician|doctor|parenting|consent education|\bsex of\b|gender)\b`,
    ),
    out: { sexual_minors: 0.6, sexual: 0.45 },
  },
  {
    id: 'sexual_minors.cooccurrence_weak',
    requires: SEXUAL_RE,
    words: [
      'child',
      'children',
      'kid',
      'kids',
      'minor',
      'minors',
      'underage',
      'preteen',
      'prepubescent',
      'toddler',
      'toddlers',
      'infant',
      'schoolgirl',
      'schoolgirls',
      'schoolboy',
      'loli',
      'lolis',
      'shota',
      'old',
      'yo',
      'daughter',
      'stepdaughter',
      'son',
      'stepson',
      'niece',
      'nephew',
      'girl',
      'girls',
      'boy',
      'boys',
      'teen',
      'teens',
      'teenage',
      'teenager',
      'teenagers',
      'juvenile',
    ],
    near: re(String.raw`(?:\b${MINOR_WEAK}\b[\s\S]{0,80}\b${SEXUAL}\b|\b${SEXUAL}\b[\s\S]{0,80}\b${MINOR_WEAK}\b)`),
    unless: re(
      String.raw`\b(?:report|reporting|detect|prevent|prevention|protect|protection|abuse awareness|victims?|survivors?|law|laws|police|arrested|convicted|charged|sentenced|investigation|education|educational|sex ed|talk to (?:my|your) (?:child|kids|children|son|daughter)|puberty|pediatrician|doctor|parenting|consent education|\bsex of\b|gender)\b`,
    ),
    out: { sexual_minors: 0.35, sexual: 0.4 },
  },

  // --- hate -------------------------------------------------------------------------------------------------------
  {
    id: 'hate.symbols',
    words: ['heil', 'untermensch', 'untermenschen'],
    out: { hate: 0.6 },
  },
  {
    id: 'hate.phrases',
    words: [
      'white',
      'master',
      'race',
      'racial',
      'replacement',
      'genocide',
      'jewish',
      'zionist',
      'subhuman',
      'subhumans',
    ],
    near: re(
      String.raw`\b(?:white power|white pride|white genocide|sieg heil|heil hitler|master race|race war|racial purity|race traitors?|great replacement|jewish question|zionist occupied|jewish conspiracy|jews control|subhumans?|(?:the )?holocaust (?:never happened|was a hoax|is a lie)|hitler was right|gas the)\b`,
    ),
    out: { hate: 0.6 },
  },
  {
    id: 'hate.dehumanising',
    requires: re(String.raw`\b${DEHUMANISE}\b`),
    words: GROUP_WORDS,
    near: re(
      String.raw`\b${GROUPS}\b(?: [\w'’-]+){0,3} (?:are|is|were|r|all are|are all|are just|are nothing but|is nothing but|is just|breed like) (?:all |just |nothing but |like |such |a bunch of |fucking |filthy |dirty )*${DEHUMANISE}\b`,
    ),
    out: { hate: 0.7 },
    unless: re(
      String.raw`\b(?:not|never|aren't|isn't|no)\b (?:${W}){0,2}${DEHUMANISE}\b|\b(?:myth|stereotype|propaganda|claimed|claim that|said that|believed that|nazis called)\b`,
    ),
  },
  {
    id: 'hate.hatred',
    requires:
      /\b(?:hate|despise|loathe|stand|detest|go back|get out|leave|banned|allowed|rights|kitchen|deported|kicked|expelled|thrown|belong)\b/i,
    words: [
      'jews',
      'muslims',
      'arabs',
      'blacks',
      'whites',
      'asians',
      'mexicans',
      'immigrants',
      'refugees',
      'gays',
      'lesbians',
      'homosexuals',
      'transgenders',
      'women',
      'christians',
      'hindus',
      'indians',
      'africans',
      'gypsies',
      'negroes',
      'foreigners',
    ],
    near: re(
      String.raw`\b(?:i|we|everyone|everybody) (?:fucking |really |just |truly )?(?:hate|despise|loathe|can't stand|cannot stand|detest)(?: all)? (?:the |those |these |fucking |filthy |dirty )*${GROUPS}\b|\b${GROUPS} (?:should|must|need to|ought to) (?:go back|get out|leave|be banned|not be allowed|not have rights|stay in the kitchen|be deported|be kicked out|be expelled|be thrown out)\b|\bgo back to (?:your|their) (?:own )?(?:country|countries|jungle|desert|cave)\b|\b(?:women|females|girls) (?:belong|should stay|should be kept) in the kitchen\b`,
    ),
    out: { hate: 0.65 },
  },
  {
    id: 'hate.threatening',
    requires: re(
      String.raw`\b(?:${KILL_VERBS}|die|killed|exterminated|gassed|wiped|eliminated|shot|hanged|hung|lynched|burned|purged|eradicated|exist|sterili[sz]ed)\b`,
    ),
    words: [
      'jews',
      'jew',
      'muslims',
      'moslems',
      'arabs',
      'blacks',
      'whites',
      'asians',
      'mexicans',
      'immigrants',
      'migrants',
      'refugees',
      'gays',
      'lesbians',
      'homosexuals',
      'queers',
      'trans',
      'transgenders',
      'women',
      'feminists',
      'christians',
      'hindus',
      'sikhs',
      'indians',
      'africans',
      'gypsies',
      'negroes',
      'catholics',
      'foreigners',
    ],
    near: re(
      String.raw`\b${GROUPS}\b(?: [\w'’-]+){0,3} (?:should|must|need to|deserve to|ought to|will|shall|are going to|gonna) (?:all )?${EXTERMINATE}\b|\b(?:${KILL_VERBS}|${WILL} ${KILL_VERBS}|time to ${KILL_VERBS}|let's ${KILL_VERBS}) (?:all |every |each )?(?:the |those |these |of the |fucking |filthy |dirty )*${GROUPS}\b`,
    ),
    unless: re(
      String.raw`\b(?:holocaust|history|historical|in \d{4}|during the|were killed|were murdered|was killed|victims?|survivors?|memorial|documentary|condemn\w*|mourn\w*)\b`,
    ),
    out: { hate: 0.75, hate_threatening: 0.75, violence: 0.5 },
  },
  {
    id: 'hate.promotion',
    words: [
      'supremacy',
      'supremacist',
      'nationalism',
      'nazism',
      'nazi',
      'kkk',
      'klan',
      'antisemitism',
      'racism',
      'genocide',
      'cleansing',
      'hate',
      'isis',
      'jihad',
      'terrorism',
    ],
    near: re(
      String.raw`\b(?:promote|promotes|promoting|spread|spreading|glorif(?:y|ies|ying)|recruit\w* (?:for|into|people)|celebrat(?:e|es|ing)|justify|justifies|incite|incites|inciting|praise|praising|join|support|supports) (?:${W}){0,2}(?:white supremacy|white supremacist\w*|white nationalism|nazism|neo-?nazi\w*|the kkk|ku klux klan|hate crimes?|racism|racist (?:ideas|propaganda|ideology)|antisemitism|genocide|ethnic cleansing|terrorism|terrorist attacks?|isis|al[- ]qaeda|jihad)\b`,
    ),
    with: REQUEST_RE,
    out: { hate: 0.6 },
    unless: re(
      String.raw`\b(?:combat|counter|fight|fighting|(?:fight|fighting|speak|speaking|stand|standing|protest\w*|campaign\w*) against|oppose|opposing|condemn|history of|why do people|${DEFENSIVE})\b`,
    ),
  },
  {
    id: 'hate.slur',
    words: [],
    out: { hate: 0.7 },
  },

  // --- harassment -------------------------------------------------------------------------------------------------
  {
    id: 'harassment.insult',
    words: [
      'idiot',
      'idiots',
      'moron',
      'morons',
      'imbecile',
      'stupid',
      'dumb',
      'dumbass',
      'loser',
      'pathetic',
      'worthless',
      'useless',
      'scum',
      'scumbag',
      'trash',
      'garbage',
      'bitch',
      'bastard',
      'asshole',
      'arsehole',
      'jerk',
      'prick',
      'douche',
      'douchebag',
      'twat',
      'cunt',
      'whore',
      'slut',
      'skank',
      'freak',
      'creep',
      'pig',
      'ugly',
      'fat',
      'disgusting',
      'retard',
      'dickhead',
      'shithead',
      'dipshit',
      'motherfucker',
      'cocksucker',
      'wanker',
      'tosser',
      'clown',
      'brainless',
      'ignorant',
      'fatass',
      'hoe',
      'bimbo',
      'incel',
      'simp',
      'cuck',
    ],
    near: re(
      String.raw`\b${YOU}\b(?: [\w'’-]+){0,4} (?:an? |such an? |the |a fucking |a stupid |a dumb |nothing but an? )?(?:fucking |stupid |dumb |ugly |fat |little |pathetic |worthless |disgusting |absolute |complete |total |utter )*(?:idiots?|morons?|imbeciles?|stupid|dumb|dumbass|loser|pathetic|worthless|useless|scum|scumbag|trash|garbage|bitch|bastard|asshole|arsehole|jerk|prick|douche|douchebag|twat|cunt|whore|slut|skank|freak|creep|pig|ugly|fat|disgusting|retard\w*|dickhead|shithead|dipshit|motherfucker|cocksucker|wanker|tosser|clown|brainless|ignorant|fatass|hoe|bimbo|incel|simp|cuck|piece of (?:shit|crap|garbage|trash))\b|\b(?:shut up|fuck you|fuck off|screw you),? (?:you )?(?:${W})?(?:idiot|moron|bitch|bastard|asshole|cunt|whore|slut|loser|retard)\b|\b(?:stupid|dumb|ugly|fat|fucking|worthless|pathetic|filthy|little) (?:bitch|cunt|whore|slut|bastard|idiot|moron|loser|retard|asshole|pig)\b`,
    ),
    out: { harassment: 0.6 },
    alone: { harassment: 0.12 },
    unless: re(
      String.raw`\b(?:don't call|do not call|never call|stop calling|called me|calls me|call me|calling me|was called|am i|i'm not|i am not|not (?:as |so |that |really |probably |even |a |an )*(?:dumb|stupid|an idiot|a moron|ugly|fat|worthless|pathetic|useless|a loser)|i feel like an?|i'm such an?|i am such an?|i'm an?|i am an?|don't be|dont be)\b`,
    ),
  },
  {
    id: 'harassment.abuse',
    words: [
      'fuck',
      'shut',
      'hell',
      'kys',
      'die',
      'hope',
      'nobody',
      'deserve',
      'ashamed',
      'live',
      'worthless',
      'disgrace',
      'kill',
    ],
    near: re(
      String.raw`\b(?:fuck (?:you|off|u|ya|yourself)|shut (?:the fuck |your (?:fucking |stupid )?(?:mouth|face|trap) |the hell )?up,? (?:you|bitch|idiot|moron|loser)|go to hell|go fuck yourself|kys|go die|(?:just )?die in a (?:fire|hole|ditch)|(?:i )?hope (?:you|u|your (?:whole |entire )?(?:family|mom|mother|dad|father|kids|children|wife|husband|dog)) (?:all )?(?:die|dies|get (?:cancer|raped|killed|hit|aids)|gets (?:cancer|raped|killed|hit)|rot|rots|suffer|suffers|burn|burns)|nobody (?:likes|loves|cares about|wants|will ever love) (?:you|u)|(?:you|u) (?:deserve|should) (?:to )?(?:die|suffer|be raped|be shot|rot|burn)|(?:you|u) (?:should|need to|ought to|must) (?:just )?(?:kill yourself|die|end yourself|end it)|kill yourself|(?:you|u) are a disgrace|(?:you|u) (?:don't|do not|dont) deserve to live|i know where (?:you|u) live|(?:you|u) (?:should be|are) ashamed of yourself|waste of (?:oxygen|space|air|skin))\b`,
    ),
    out: { harassment: 0.7 },
    unless: re(
      String.raw`\b(?:don't|do not|dont|never|please don't|shouldn't|should not) (?:go |just )?(?:kill yourself|die|kys)\b`,
    ),
  },
  {
    id: 'harassment.request',
    words: [
      'bully',
      'cyberbully',
      'harass',
      'troll',
      'humiliate',
      'intimidate',
      'torment',
      'dox',
      'doxx',
      'gaslight',
      'manipulate',
      'defame',
      'slander',
      'tarnish',
      'ruin',
      'destroy',
      'insult',
      'roast',
      'degrade',
      'belittle',
      'mock',
      'shame',
      'embarrass',
    ],
    near: re(
      String.raw`\b(?:(?:cyber)?bully|harass|troll|humiliate|intimidate|torment|doxx?|gaslight|manipulate|defame|slander|shame|embarrass|insult|degrade|belittle|mock) (?:someone|somebody|people|a person|him|her|them|others|my (?:[\w'’-]+ )?(?:classmates?|coworkers?|colleagues?|boss|ex|neighbou?rs?|sister|brother|teacher|roommate|friend)|this (?:guy|girl|kid|person|bully)|that (?:guy|girl|kid|person)|(?:[\w'’-]+)(?:'s|’s)? (?:online|publicly|in public))\b|\b(?:ruin|destroy|tarnish|damage|wreck) (?:someone's|somebody's|his|her|their|a person's|people's|my (?:[\w'’-]+ )?(?:ex|boss|coworker|colleague|neighbou?r|sister|brother|teacher|roommate|friend|rival)(?:'s|’s)) (?:reputation|life|career|self[- ]?confidence|self[- ]?esteem|marriage|relationship|business)\b`,
    ),
    with: REQUEST_RE,
    out: { harassment: 0.6 },
    unless: re(
      String.raw`\b(?:stop|prevent|deal with|cope|handle|respond to|victim|being (?:bullied|harassed|trolled)|${DEFENSIVE})\b`,
    ),
  },
  {
    id: 'harassment.insult_request',
    words: ['insult', 'roast', 'humiliate', 'degrade'],
    near: re(
      String.raw`\b(?:insult|roast|humiliate|degrade) (?:me|him|her|them|someone|somebody|my [\w'’-]+) (?:${W}){0,2}(?:meanest|cruelest|harshest|most (?:hurtful|offensive|brutal|degrading|vicious))\b`,
    ),
    out: { harassment: 0.55 },
  },
  {
    id: 'harassment.threat',
    requires: /\b(?:you|u|ya|your|you're|youre|ur|dead|back|eye|regret|pay)\b/i,
    words: [
      'kill',
      'hurt',
      'beat',
      'stab',
      'shoot',
      'murder',
      'rape',
      'find',
      'destroy',
      'strangle',
      'choke',
      'break',
      'smash',
      'end',
      'ruin',
      'punch',
    ],
    near: re(
      String.raw`\b(?:i|we|i'm|im|we're|imma|ima)(?: [\w'’-]+)? ${WILL} (?:${W}){0,2}(?:kill|hurt|beat|stab|shoot|murder|rape|find|destroy|strangle|choke|break|smash|end|ruin|punch|bash|slit)(?: the \w+ out of)? (?:you|u|ya|your)\b|\b(?:you're|you are|ur|you)(?: so| gonna be| going to be| will be)? dead\b|\bwatch your back\b|\bsleep with one eye open\b|\b(?:you'll|you will) (?:regret|pay for) (?:this|it|that)\b`,
    ),
    out: { harassment: 0.7, violence: 0.6 },
    unless: re(
      String.raw`\b(?:game|match|chess|lol|lmao|haha|joke|joking|kidding|tickle|at (?:chess|tennis|golf|poker|cards)|in (?:the|a) (?:race|game|match|debate|election))\b`,
    ),
  },

  // --- violence -------------------------------------------------------------------------------------------------
  {
    id: 'violence.words',
    words: [
      'murder',
      'murdered',
      'murdering',
      'stab',
      'stabbed',
      'stabbing',
      'behead',
      'beheaded',
      'beheading',
      'decapitate',
      'decapitated',
      'dismember',
      'dismembered',
      'massacre',
      'slaughter',
      'slaughtered',
      'torture',
      'tortured',
      'torturing',
      'mutilate',
      'mutilated',
      'strangle',
      'strangled',
      'bludgeon',
      'bludgeoned',
      'maim',
      'maimed',
      'lynch',
      'lynched',
      'rape',
      'raped',
      'raping',
      'genocide',
      'homicide',
      'assault',
      'gunned',
      'execute',
      'disembowel',
      'eviscerate',
    ],
    out: { violence: 0.25 },
    unless: re(
      String.raw`\b(?:murder mystery|chess|game of thrones|true crime podcast|execute (?:the|a|this) (?:code|command|query|script|program|function|plan|order|trade|task|test)|torture test|assault rifle ban)\b`,
    ),
  },
  {
    id: 'violence.incitement',
    words: [
      'kill',
      'murder',
      'stab',
      'shoot',
      'hurt',
      'beat',
      'torture',
      'behead',
      'bomb',
      'burn',
      'blow',
      'slaughter',
      'strangle',
      'poison',
      'attack',
      'rape',
      'punch',
    ],
    near: re(
      String.raw`\b(?:(?:i|we|i'm|im|we're|let's|lets|you|u|they|someone|people|everyone)(?: [\w'’-]+)? ${WILL}|let's|lets|we should|you should|someone should|time to|go and|i'd love to|i would love to|i'm gonna|i wanna) (?:${W}){0,2}(?:kill|murder|stab|shoot|hurt|beat up|beat the|torture|behead|bomb|burn down|blow up|slaughter|strangle|poison|attack|rape|punch|run over)(?: [\w'’-]+){0,2} (?:him|her|them|people|everyone|everybody|the (?:${W})?(?:police|cops|teacher|teachers|students|kids|children|president|mayor|boss|family|neighbors?|neighbours?|school|church|mosque|synagogue|crowd|building)|my (?:${W})?(?:wife|husband|boss|teacher|mom|dad|mother|father|brother|sister|family|neighbor|neighbour|ex|girlfriend|boyfriend|classmates?|coworkers?)|his|her|their|those|these|all)\b|\bhow (?:to|do i|can i|could i|would i|should i) (?:${W}){0,2}(?:kill|murder|stab|strangle|poison|torture|hurt|maim|kidnap) (?:a |my |the |his |her |that )?(?:someone|somebody|person|people|man|woman|child|kid|baby|wife|husband|boss|neighbou?r|him|her|them|human|family|girlfriend|boyfriend|teacher|cop|policeman|president)\b`,
    ),
    out: { violence: 0.7 },
    unless: re(
      String.raw`\b(?:game|minecraft|fortnite|roblox|skyrim|zombie|zombies|boss fight|the boss in|character|process|processes|task|thread|bugs?|weeds?|germs?|bacteria|mood|vibe|time|joke|kidding|lol|lmao|haha)\b`,
    ),
  },
  {
    id: 'violence.calls',
    requires:
      /\b(?:should|must|need|needs|deserve|deserves|ought|have to|has to|gotta|all|every|killin'?|rope|nuke|gas|firebomb|death|wherever)\b/i,
    words: [
      'killed',
      'slaughtered',
      'shot',
      'hanged',
      'hung',
      'executed',
      'exterminated',
      'beheaded',
      'stabbed',
      'tortured',
      'lynched',
      'burned',
      'kill',
      'killin',
      'nuke',
      'death',
      'rope',
      'die',
    ],
    near: re(
      String.raw`\b(?:should|must|need to|needs to|deserve to|deserves to|ought to|have to|has to|gotta) (?:all |just )?(?:be )?(?:killed|slaughtered|shot|hanged|hung|executed|exterminated|burned alive|beheaded|put down|stabbed|tortured|lynched|gassed|wiped out)\b|\bkill (?:them|'em|em|him|her|you|these people|those people) all\b|\bkill (?:all|every) (?:the |those |these |of the )?[\w'’-]+s\b|\bneeds? killin'?\b|\bdeserv\w* (?:of )?the rope\b|\b(?:nuke|gas|firebomb) (?:the crap out of |the shit out of )?(?:you|them|those|these|the [\w'’-]+s)\b|\bdie (?:a|the) (?:horrible|slow|painful|gruesome|violent|agonizing) death\b|\bkill (?:them|him|her) wherever\b`,
    ),
    out: { violence: 0.6 },
    unless: re(
      String.raw`\b(?:game|minecraft|zombies?|bugs?|weeds?|germs?|bacteria|process|processes|lol|lmao|haha|history|historical|in \d{4}|were killed|was killed|victims?)\b`,
    ),
  },
  {
    id: 'hate.group_threat',
    requires:
      /\b(?:kill|slaughter|exterminate|gas|nuke|hang|shoot|behead|wipe|rid|purge|eradicate|expel|destroy|exist|live|breathe|alive|without|enem\w*|invaders|traitors|threat)\b/i,
    words: GROUP_WORDS,
    near: re(
      String.raw`\b${GROUPS}\b[\s\S]{0,160}\b(?:kill|slaughter|exterminate|gas|nuke|hang|shoot|behead|wipe out|get rid of|purge|eradicate|expel|destroy) (?:them|'em|em|these people|those people|all of them|every (?:one|last one) of them)\b|\b${GROUPS}\b[\s\S]{0,40}\b(?:should not|shouldn't|don't deserve to|do not deserve to|must not) (?:even )?(?:exist|live|breathe|be alive)\b|\bbetter off without (?:all )?(?:the |those |these )?${GROUPS}\b|\b${GROUPS}(?: [\w'’-]+){0,2} (?:are|r|is) (?:all )?(?:the )?(?:enem(?:y|ies)|invaders|traitors|a threat to)\b`,
    ),
    unless: re(
      String.raw`\b(?:holocaust|history|historical|in \d{4}|were killed|were murdered|victims?|survivors?|memorial|documentary|condemn\w*|mourn\w*|not (?:the|our) enem\w*)\b`,
    ),
    out: { hate: 0.65, hate_threatening: 0.55 },
  },
  {
    id: 'violence.graphic',
    words: [
      'gore',
      'gory',
      'blood',
      'bloody',
      'guts',
      'entrails',
      'intestines',
      'brains',
      'skull',
      'severed',
      'flesh',
      'disemboweled',
      'disembowelled',
      'eviscerated',
      'bleeding',
      'corpse',
      'corpses',
      'mangled',
      'splattered',
      'gouged',
      'bones',
      'limbs',
      'dismembered',
      'decapitated',
    ],
    near: re(
      String.raw`\b(?:blood (?:everywhere|spurting|spurted|gushing|gushed|splattered|pooled|pouring|soaked|spraying|sprayed)|(?:soaked|covered|drenched|pool|pools) (?:in|of) blood|guts (?:spilled|spilling|hanging|everywhere)|(?:entrails|intestines|organs) (?:spilled|spilling|hanging|ripped|torn|everywhere)|brains? (?:splattered|blown out|spilled|everywhere)|skull (?:crushed|cracked|caved|split|shattered)|(?:crushed|cracked|caved in|split open|smashed) (?:his|her|their|the) skull|severed (?:head|heads|limb|limbs|arm|arms|leg|legs|hand|hands|finger|fingers)|(?:ripped|tore|torn|cut|sliced|slit) (?:open|apart|out)|(?:flesh|skin) (?:torn|tearing|ripping|ripped|peeled|melting|burning)|bones (?:crunching|crunched|snapping|snapped|shattering|cracking)|bleeding out|(?:mangled|mutilated|dismembered|decapitated|charred|rotting) (?:body|bodies|corpse|corpses|remains)|gouged out|eyes? (?:gouged|popped)|gore|gory|disembowel\w*|eviscerat\w*)\b`,
    ),
    out: { violence: 0.55, violence_graphic: 0.6 },
    unless: re(
      String.raw`\b(?:blood (?:test|tests|pressure|sugar|type|donor|donation|bank|cells?|work|drive|orange|moon)|al gore|gore-tex|vice president|recipe|cooking)\b`,
    ),
  },

  // --- self-harm ------------------------------------------------------------------------------------------------
  {
    id: 'self_harm.words',
    words: [
      'suicide',
      'suicidal',
      'selfharm',
      'overdose',
      'overdosing',
      'anorexia',
      'bulimia',
      'thinspiration',
      'thinspo',
      'proana',
    ],
    out: { self_harm: 0.3 },
    unless: re(
      String.raw`\b(?:suicide (?:squad|mission|door|doors|prevention|hotline|lifeline|rates?)|prevention|hotline|lifeline|awareness|research|statistics|article|report)\b`,
    ),
  },
  {
    id: 'self_harm.phrases',
    words: [
      'self',
      'myself',
      'suicide',
      'suicidal',
      'die',
      'dead',
      'live',
      'life',
      'wrists',
      'wrist',
      'pills',
      'rope',
      'noose',
      'alive',
      'selfharm',
    ],
    near: re(
      String.raw`\b(?:self[- ]?harm\w*|self[- ]?injur\w*|kill(?:ing|ed)? myself|end(?:ing)? (?:my|it) (?:own )?(?:life|all)|take my (?:own )?life|commit(?:ting)? suicide|want(?:ed)? to die|wanna die|wish (?:i|i'd) (?:was|were|had|had been|never been|never) (?:dead|born|never born)|better off dead|better off without me|no (?:reason|point) (?:to|in) (?:live|living|going on)|(?:don't|do not|dont) want to (?:live|be alive|exist|wake up)|cut(?:ting)? myself|slit(?:ting)? my wrists?|cut(?:ting)? my wrists?|hang(?:ing)? myself|hurt(?:ing)? myself|burn(?:ing)? myself|starv(?:e|ing) myself|(?:jump|jumping) off (?:a|the) (?:bridge|building|roof)|overdos(?:e|ing) on|suicidal (?:thoughts|ideation|feelings)|suicide (?:note|attempt|plan)|noose)\b`,
    ),
    out: { self_harm: 0.65 },
    unless: re(
      String.raw`\b(?:prevention|hotline|awareness|research|statistics|laughing|lol|lmao|haha|dying (?:of|from) laughter|joke)\b`,
    ),
  },
  {
    id: 'self_harm.end_it',
    words: ['end', 'ending'],
    near: /\bend(?:ing)? (?:my|it) (?:own )?(?:life|all)\b/i,
    out: { self_harm: 0.6 },
    unless: re(
      String.raw`\b(?:prevention|hotline|awareness|game|series|season|relationship|marriage|contract|subscription)\b`,
    ),
  },
  {
    id: 'self_harm.ideation',
    words: ['nobody', 'anyone', 'miss', 'anymore', 'burden', 'disappear', 'gone', 'here'],
    near: re(
      String.raw`\b(?:(?:no one|nobody|no-one) (?:would|will|is going to) (?:miss|notice|care about|even notice)(?: me| if i)?|(?:no one|nobody) (?:would|will) care if i (?:died|was gone|were gone|disappeared)|i(?:'m| am) (?:just )?a burden to (?:everyone|my family|everybody)|i (?:don't|do not|dont) want to (?:be here|exist|wake up) anymore|i (?:just )?want to disappear forever|(?:can't|cannot|cant) (?:take|do|handle) (?:it|this|life) anymore)\b`,
    ),
    out: { self_harm: 0.45 },
    unless: re(String.raw`\b(?:lol|lmao|haha|joke|joking|meeting|meetings|traffic|noise|weather)\b`),
  },
  {
    id: 'self_harm.intent',
    words: [
      'myself',
      'die',
      'dead',
      'live',
      'life',
      'suicide',
      'wrists',
      'wrist',
      'pills',
      'alive',
      'overdose',
      'noose',
      'rope',
      'tablets',
      'goodbye',
    ],
    near: re(
      String.raw`\b(?:${FIRST}|i)\b(?: [\w'’-]+){0,3} (?:want(?:ed)? to|wanna|going to|gonna|will|'ll|plan(?:ning)? to|about to|ready to|decided to|think(?:ing)? (?:about|of)|tonight i'?(?:ll| will)|need to|should just) (?:${W}){0,2}(?:kill myself|killing myself|end my life|ending my life|end it all|ending it all|take my (?:own )?life|commit suicide|committing suicide|die|be dead|suicide|overdose|hang myself|slit my wrists?|cut myself|jump off)\b|\b(?:how (?:many|much) (?:pills|tablets|paracetamol|tylenol|ibuprofen|insulin|sleeping pills)\w* (?:${W}){0,4}(?:kill|overdose|die|lethal|fatal))\b|\b(?:painless(?:ly)? (?:way|ways|method|methods) to (?:die|kill myself|end (?:it|my life))|(?:best|easiest|quickest|surest|fastest) (?:way|ways|method|methods) to (?:kill myself|end my life|commit suicide|die)|how (?:do|can|should|could) i (?:kill myself|end my life|commit suicide)|goodbye (?:cruel )?world|this is my (?:suicide|goodbye) note)\b`,
    ),
    out: { self_harm: 0.8, self_harm_intent: 0.75 },
    unless: re(
      String.raw`\b(?:if i (?:ever )?(?:felt|feel|were)|my (?:friend|son|daughter|brother|sister|mother|father|partner|wife|husband) (?:wants|said|says|is)|prevention|hotline|lol|lmao|haha|of embarrassment|laughing|from laughter|if (?:this|that) (?:happens|doesn't))\b`,
    ),
  },

  // --- illicit --------------------------------------------------------------------------------------------------
  // Each rule pairs a wrongdoing phrase with a request for help anywhere around it (REQUEST): a news report or a
  // story that mentions a robbery is not a request to commit one. DEFENSIVE vetoes questions about protection.
  {
    id: 'illicit.weapons',
    words: [
      'bomb',
      'bombs',
      'explosive',
      'explosives',
      'ied',
      'ieds',
      'detonator',
      'napalm',
      'molotov',
      'thermite',
      'sarin',
      'ricin',
      'anthrax',
      'vx',
      'nerve',
      'chemical',
      'bioweapon',
      'bioweapons',
      'biological',
      'silencer',
      'suppressor',
      'gun',
      'guns',
      'firearm',
      'firearms',
      'weapon',
      'weapons',
      'grenade',
      'grenades',
      'tnt',
      'c0',
      'semtex',
      'mustard',
      'chlorine',
      'poison',
      'toxin',
      'cyanide',
      'automatic',
      'auto',
      'knives',
      'knife',
    ],
    near: re(
      String.raw`\b(?:(?:make|making|build|building|create|assemble|construct|manufacture|produce|synthesi[sz]e|brew|cook|mix|obtain|acquire|buy|get|smuggle|sneak|hide|3d[- ]print|print) (?:${W}){0,3}(?:bombs?|pipe bombs?|nail bombs?|car bombs?|dirty bombs?|explosives?|ieds?|detonators?|napalm|molotov(?: cocktails?)?|thermite|sarin|ricin|anthrax|vx|nerve (?:agents?|gas)|chemical weapons?|bio ?weapons?|biological weapons?|silencers?|suppressors?|ghost guns?|untraceable (?:guns?|firearms?|weapons?)|grenades?|tnt|c4|semtex|mustard gas|chlorine gas|poisons?|toxins?|cyanide)|(?:convert|modify|turn) (?:${W}){0,3}(?:fully )?(?:automatic|full[- ]auto)|(?:poison|gas) (?:${W}){0,2}(?:someone|somebody|a person|people|my|him|her|them|the water|a water|the city|a city)|(?:weapons?|guns?|knives?|knife|explosives?|bombs?) (?:${W}){0,4}(?:sneak|smuggle|bring|take|get|carry) (?:${W}){0,3}(?:past|through|on|onto|into|in) (?:${W}){0,2}(?:tsa|security|airport|airplane|plane|flight|customs|border|prison|jail|school|stadium|courthouse))\b`,
    ),
    with: REQUEST_RE,
    out: { illicit: 0.8 },
    unless: re(
      String.raw`\b(?:bath bombs?|photo ?bomb|bomb(?:ed)? (?:the|my|an?) (?:exam|test|interview|audition)|da bomb|f-bomb|poison ivy|food poisoning|chemical (?:reaction|equation|formula|bond|element|engineering|engineer)|nerve (?:damage|pain|cells?)|history|museum|video game|minecraft|fortnite|in (?:the )?game|${DEFENSIVE})\b`,
    ),
  },
  {
    id: 'illicit.drugs',
    words: [
      'meth',
      'methamphetamine',
      'crystal',
      'cocaine',
      'crack',
      'heroin',
      'fentanyl',
      'lsd',
      'mdma',
      'ecstasy',
      'drugs',
      'drug',
      'opioids',
      'ketamine',
      'ghb',
      'pcp',
      'dmt',
      'narcotics',
      'oxycodone',
      'oxy',
      'xanax',
      'percocet',
      'roofie',
      'spike',
    ],
    near: re(
      String.raw`\b(?:(?:make|making|cook|cooking|synthesi[sz]e|produce|manufacture|grow|extract|brew|refine|cut) (?:${W}){0,2}(?:meth|methamphetamine|crystal meth|cocaine|crack|heroin|fentanyl|lsd|mdma|ecstasy|ghb|pcp|dmt|drugs)|(?:buy|sell|deal|smuggle|traffic|get|obtain|order|ship|hide|sneak|score) (?:${W}){0,3}(?:meth|methamphetamine|cocaine|crack|heroin|fentanyl|lsd|mdma|ecstasy|drugs|opioids|ketamine|ghb|narcotics|oxycodone|oxy|xanax|percocet|pills without a prescription)|(?:drug|drugs) (?:dealer|dealing|trafficking|smuggling|lab)|(?:spike|drug|roofie) (?:someone's|somebody's|her|his|their|a) (?:drink|food))\b`,
    ),
    with: REQUEST_RE,
    out: { illicit: 0.75 },
    unless: re(
      String.raw`\b(?:crack (?:the|a|an|my|this) (?:code|egg|eggs|joke|window|case|problem|puzzle)|prescription|pharmacy|pharmacist|doctor|rehab|recovery|addiction help|overcome|quit|quitting|${DEFENSIVE})\b`,
    ),
  },
  {
    id: 'illicit.hacking',
    words: [
      'hack',
      'hacking',
      'hacked',
      'malware',
      'ransomware',
      'keylogger',
      'keyloggers',
      'botnet',
      'trojan',
      'spyware',
      'ddos',
      'phishing',
      'virus',
      'password',
      'passwords',
      'credentials',
      'account',
      'accounts',
      'wifi',
      'wi',
      'crack',
      'bypass',
      'rootkit',
      'backdoor',
      'skimmer',
      'carding',
      'email',
      'network',
    ],
    near: re(
      String.raw`\b(?:hack(?:ing)? (?:into |in to )?(?:${W}){0,3}(?:account|accounts|email|e-mail|phone|computer|server|network|website|bank|system|database|instagram|facebook|snapchat|twitter|whatsapp|wifi|wi-fi|router|camera|webcam|icloud|gmail|blockchain|atm)|(?:get|break|log|sneak) (?:in|into|in to) (?:${W}){0,2}(?:someone's|somebody's|his|her|their|other people's|people's|my (?:[\w'’-]+)(?:'s|’s)) (?:[\w'’-]+ )?(?:account|accounts|email|e-mail|phone|computer|bank account|laptop)|(?:create|write|make|build|code|develop|spread|deploy|distribute|install|sell) (?:${W}){0,2}(?:malware|ransomware|keyloggers?|botnets?|trojans?|spyware|viruses|a virus|computer virus|rootkits?|backdoors?|phishing (?:emails?|pages?|sites?|kits?|campaigns?)|skimmers?|ddos)|(?:steal|get|obtain|crack|guess|find out|figure out|phish|dump) (?:${W}){0,2}(?:someone's|somebody's|his|her|their|my (?:ex|wife|husband|boyfriend|girlfriend|boss|neighbor|neighbour)(?:'s|’s)?|other people's|people's|a user's|users') (?:[\w'’-]+ )?(?:passwords?|credentials|logins?|accounts?|credit cards?|bank details|social security numbers?)|(?:ddos|dos) (?:a |the |someone's )?(?:website|server|site)|bypass (?:${W}){0,2}(?:authentication|2fa|two-factor|login|paywall|drm|license check|activation)|crack (?:${W}){0,2}(?:passwords?|software|license|wifi|wi-fi)|(?:into|on|onto|to) (?:my )?(?:neighbor's|neighbour's|neighbors'|someone's|somebody's) (?:wifi|wi-fi|network|internet)|steal (?:${W}){0,2}(?:bitcoin|crypto|data|identities|identity))\b`,
    ),
    with: REQUEST_RE,
    out: { illicit: 0.75 },
    unless: re(
      String.raw`\b(?:life ?hacks?|growth hack\w*|hackathon|ethical hacking course|capture the flag|ctf|my own (?:account|wifi|password|computer)|forgot (?:my )?password|reset (?:my )?password|recover (?:my )?(?:account|password)|penetration test\w*|pentest\w*|authori[sz]ed|${DEFENSIVE})\b`,
    ),
  },
  {
    id: 'illicit.theft_fraud',
    words: [
      'steal',
      'stealing',
      'stole',
      'rob',
      'robbing',
      'robbery',
      'shoplift',
      'shoplifting',
      'pickpocket',
      'burglarize',
      'burgle',
      'break',
      'hotwire',
      'mug',
      'loot',
      'embezzle',
      'embezzling',
      'stolen',
      'scam',
      'scamming',
      'defraud',
      'fraud',
      'counterfeit',
      'forge',
      'fake',
      'faking',
      'launder',
      'laundering',
      'insider',
      'evade',
      'evasion',
      'cheat',
      'ponzi',
      'pyramid',
      'bribe',
      'blackmail',
      'extort',
      'extortion',
      'identity',
      'kidnap',
      'abduct',
      'hijack',
      'arson',
      'burn',
      'smuggle',
      'smuggling',
      'traffic',
      'trafficking',
      'hitman',
      'hit',
      'spy',
      'stalk',
      'track',
      'bug',
      'secretly',
      'covertly',
      'camera',
      'cameras',
      'body',
      'corpse',
      'jail',
      'prison',
      'contaminate',
      'sabotage',
      'vandalize',
      'damage',
      'destroy',
      'key',
      'slash',
      'skim',
      'skimming',
      'blame',
      'frame',
      'knock',
      'pocket',
      'pockets',
      'purse',
      'insurance',
      'lie',
      'perjury',
      'threaten',
      'bully',
      'scare',
      'pressure',
      'take',
      'grab',
      'snatch',
      'swipe',
      'live',
      'stay',
      'coerce',
      'force',
      'intimidate',
      'illegally',
      'illegal',
      'dark',
      'darknet',
      'market',
    ],
    near: re(
      String.raw`\b(?:steal(?:ing)?|rob(?:bing)? (?:a |an |the |my |his |her |their |someone|somebody|people|banks?|stores?|shops?|houses?|homes?|gas stations?|jewel\w+|families|tourists|old)|shoplift(?:ing)?|pickpocket(?:ing)?|burglari[sz]e|burgle|break(?:ing)? in(?:to)? (?:${W}){0,2}(?:house|houses|home|homes|car|cars|apartment|store|shop|building|office|school|locker|safe|atm|vending machine)\b|break(?:ing)? in(?:to)? (?:someone's|somebody's|[\w'’-]+(?:'s|’s) (?:house|home|car|apartment|room|locker|office))|hotwire|mug(?:ging)? (?:someone|somebody|a|an|people)|loot(?:ing)?|embezzl\w*|scam(?:ming)? (?:people|someone|somebody|old|the elderly|seniors|customers|tourists|users|viewers|investors)|scamming|defraud\w*|con (?:people|someone|somebody|old people|the elderly)|counterfeit\w*|forge (?:a|an|my|his|her|someone's|documents|signatures?|checks?|cheques?|passports?|ids?)|(?:make|create|produce|print|get|buy|use|sell|pass) (?:${W}){0,2}(?:fake|forged|counterfeit|false) (?:ids?|identification|identity|identities|passports?|checks?|cheques?|money|bills|currency|documents?|licen[cs]es?|diplomas?|degrees?|prescriptions?|insurance claims?)|launder(?:ing)? (?:${W}){0,2}money|money laundering|insider trading|(?:evade|evading|cheat on|cheat) (?:${W}){0,2}(?:taxes|tax|the irs|customs)|tax (?:evasion|fraud)|insurance (?:fraud|scam)|fak(?:e|ing) (?:a |an |my |the )?(?:[\w'’-]+ )?(?:fire|housefire|accident|injury|death|theft|burglary|break-in|disability)|(?:for|collect|get) (?:the )?insurance money|ponzi|pyramid scheme|bribe|blackmail|extort\w*|identity theft|steal (?:${W}){0,2}identit\w*|(?:use|using) (?:a |someone's |somebody's )?(?:stolen|cloned) (?:credit )?cards?|kidnap\w*|abduct\w*|hijack(?:ing)? (?:a |an |the )?(?:plane|airplane|car|truck|bus|ship|train|vehicle)|arson|burn (?:${W}){0,3}(?:down|house|building|business|car)|smuggl\w*|traffick\w*|(?:find|hire|contact|get) (?:a |an )?hit ?man|spy on|stalk(?:ing)? (?:${W}){0,2}(?:someone|somebody|my ex|her|him|them|a person|a girl|a woman|a guy)|track (?:${W}){0,2}(?:someone's|somebody's|my (?:wife|husband|spouse|girlfriend|boyfriend|partner|ex)(?:'s|’s)?|(?:wife|husband|spouse|girlfriend|boyfriend|partner|ex)(?:'s|’s)?) (?:phone|location|car|movements|messages)|bug (?:${W}){0,2}(?:phone|room|house|car|office|laptop)|(?:secretly|covertly) (?:record|film|monitor|watch|track|photograph|read)|hid(?:e|den|ing) (?:a )?cameras?|sell (?:${W}){0,2}stolen|stolen (?:goods|items|property|stuff|things|cars?|phones?|jewelry|bikes?)|fence stolen|dispose of (?:a |the )?(?:body|corpse)|hide (?:a |the )?(?:body|corpse)|(?:break|get|bust) (?:${W}){0,2}out of (?:jail|prison)|escape (?:from )?(?:jail|prison)|contaminat\w* (?:${W}){0,3}(?:water|food|supply|reservoir)|sabotag\w*|vandali[sz]\w*|(?:damage|destroy|key|slash|wreck) (?:${W}){0,1}(?:someone's|somebody's|my (?:[\w'’-]+ )?(?:neighbor's|neighbour's|boss's|ex's)|his|her|their) (?:car|tires|tyres|house|property)|skim(?:ming)? (?:credit cards?|cards|money)|(?:blame|frame) (?:someone|somebody|my|him|her|an innocent)|knock (?:someone|somebody|him|her|a person) (?:out|unconscious)|(?:out of|from) (?:someone's|somebody's|a stranger's|people's|strangers') (?:pockets?|purses?|bags?|wallets?)|(?:take|grab|snatch|swipe|pocket|nick) (?:someone's|somebody's|a stranger's|people's|other people's) (?:phone|wallet|purse|money|bag|car|bike|laptop|cards?|jewelry|watch|packages?)|(?:live|stay|sleep|hide) in (?:someone's|somebody's|a stranger's|my neighbou?r's) (?:house|home|apartment|attic|basement)|(?:lie|lying) (?:${W}){0,3}(?:in court|under oath|to (?:the )?(?:police|cops|judge|jury|irs|insurance))|perjury|(?:threaten|coerce|force|intimidate|blackmail|bully|scare|pressure) (?:${W}){0,3}into (?:giving|paying|handing|sending|signing|doing|filling|selling|having)|(?:make|earn|get) (?:${W}){0,2}money illegally|illegally|on the dark ?web|darknet market|black market)\b`,
    ),
    with: REQUEST_RE,
    out: { illicit: 0.7 },
    unless: re(
      String.raw`\b(?:steal the show|steal (?:a|the) (?:base|scene|spotlight|limelight|heart|hearts|glance|kiss|moment)|break in (?:new |the )?(?:shoes|boots)|(?:fake|faux) (?:it|news detector|leather|fur|plants?)|track (?:my )?(?:package|order|progress|expenses|time|habits|workouts?|calories|changes|sales|inventory|fitness|lost phone|stolen phone|own)|camera (?:settings|angle|lens|shots?)|bug (?:fix|report|tracker|bounty|in (?:the|my) code)|legally|game|video game|minecraft|roblox|gta|heist movie|movie|film|novel|story|screenplay|plot|character|fiction|role of|roleplay|role-play|(?:is|was|are) (?:it )?illegal|${DEFENSIVE})\b`,
    ),
  },
  {
    id: 'illicit.evasion',
    words: ['without', 'away', 'undetected', 'untraceable', 'caught', 'trace', 'evade', 'detection'],
    near: re(
      String.raw`\b(?:(?:without|not|never|avoid) (?:getting|being|get|be) (?:caught|arrested|detected|traced|noticed|found out)|get away with|undetected|untraceable|without (?:a trace|leaving (?:a trace|evidence|fingerprints))|evade (?:the )?(?:police|cops|law|authorities|detection)|avoid (?:the )?(?:police|cops|detection)|without paying|without (?:a |any )?(?:background checks?|licen[cs]e|permit|prescription|paperwork|serial numbers?))\b`,
    ),
    with: REQUEST_RE,
    out: { illicit: 0.6 },
    unless: re(String.raw`\b(?:surprise|birthday|gift|present|tickle|${DEFENSIVE})\b`),
  },
  {
    id: 'illicit.secrecy',
    words: [
      'without',
      'knowing',
      'noticing',
      'knowledge',
      'consent',
      'realising',
      'realizing',
      'permission',
      'secretly',
    ],
    near: re(
      String.raw`\bwithout (?:anyone|them|him|her|the owner|my (?:[\w'’-]+)|their|his|her|the person|people) (?:knowing|noticing|finding out|knowledge|consent|permission|realizing|realising)\b`,
    ),
    with: REQUEST_RE,
    out: { illicit: 0.4 },
    unless: re(String.raw`\b(?:surprise|birthday|gift|present|party|proposal|propose|tickle|${DEFENSIVE})\b`),
  },
  {
    id: 'illicit.harm_request',
    words: [
      'hit',
      'punch',
      'attack',
      'beat',
      'knock',
      'shock',
      'electrocute',
      'break',
      'hurt',
      'injure',
      'trip',
      'push',
      'give',
    ],
    near: re(
      String.raw`\b(?:hit|punch|attack|beat up|knock out|shock|electrocute|hurt|injure|trip|push|shove) (?:someone|somebody|a person|people|a stranger|a guy|a girl|a kid|him|her|them|my (?:[\w'’-]+ )?(?:neighbou?rs?|boss|teacher|classmate|coworker|brother|sister|wife|husband|ex))\b|\bgive (?:someone|somebody|him|her|them|a person|people) (?:an? )?(?:electric )?shocks?\b|\bbreak (?:someone's|somebody's|his|her|their|a person's) (?:legs?|arms?|nose|jaw|neck|fingers?|knees?|bones?|ribs?)\b`,
    ),
    with: REQUEST_RE,
    out: { violence: 0.6, illicit: 0.5 },
    unless: re(
      String.raw`\b(?:game|sparring|martial arts|self[- ]defen[cs]e|boxing|hit (?:someone|him|her) up|${DEFENSIVE})\b`,
    ),
  },
];

/** Slur hashes (see the header) and their weights; all count toward `hate`. */
const SLUR_HASHES: ReadonlyArray<readonly [number, number]> = [
  [2027686278, 0.75],
  [2646742591, 0.45],
  [3242924789, 0.45],
  [2271377542, 0.25],
  [2073646160, 0.3],
  [592127195, 0.7],
  [1571476450, 0.7],
  [2333662018, 0.4],
  [4057313852, 0.6],
  [1102448054, 0.55],
  [2871252224, 0.4],
  [1330886060, 0.7],
  [3494284965, 0.6],
  [1928964059, 0.7],
  [1758571978, 0.7],
  [239515511, 0.8],
  [4276823870, 0.7],
  [2425945894, 0.45],
  [727134839, 0.35],
  [2220015612, 0.45],
  [2543019002, 0.35],
  [707611804, 0.3],
  [3359538959, 0.6],
  [855424755, 0.75],
  [2847189074, 0.75],
  [3144177534, 0.45],
  [3332317493, 0.4],
  [3424013774, 0.4],
  [3401990223, 0.7],
  [1288525364, 0.35],
  [625864343, 0.35],
  [1230279440, 0.25],
  [4018880699, 0.3],
  [4266647177, 0.4],
  [386487658, 0.45],
  [3149106858, 0.45],
  [2445899090, 0.5],
  [804472388, 0.45],
  [82270325, 0.45],
  [545408953, 0.45],
  [1910534492, 0.5],
  [2034430100, 0.3],
  [3802471779, 0.35],
  [1239732609, 0.5],
  [245548003, 0.45],
  [2122552048, 0.35],
  [2623671933, 0.55],
  [108725737, 0.7],
  [1847349601, 0.6],
  [1836702772, 0.3],
  [1096964116, 0.6],
  [2625838845, 0.35],
  [4037130565, 0.65],
  [4173758676, 0.4],
  [1512981395, 0.55],
];

// ---------------------------------------------------------------------------------------------------------------
// Matching

/** Hash of a word as the lexicon sees it: lower case, digits as 0, ’ as '. */
export function slurHash(word: string): number {
  return hashString(
    word
      .toLowerCase()
      .replace(/[0-9]/g, '0')
      .replace(/\u2019/g, "'"),
  );
}

interface TableEntry {
  rule: LexiconRule;
  /** Weight overriding the rule's `out` (slurs carry their own). */
  weight?: number;
  /** Matches the word itself and its plural only: a stem of a short word is often an innocent word ("spices"). */
  exact?: boolean;
}

interface Table {
  entries: Map<number, TableEntry[]>;
  /** One bit per low 16 bits of a hash: most tokens are rejected without a Map lookup. */
  filter: Uint8Array;
}

function buildTable(): Table {
  const entries = new Map<number, TableEntry[]>();
  const filter = new Uint8Array(1 << 16);
  const add = (h: number, e: TableEntry) => {
    const list = entries.get(h) ?? [];
    if (!list.some((x) => x.rule === e.rule)) list.push(e);
    entries.set(h, list);
    filter[h & 0xffff] = 1;
  };
  for (const rule of RULES) for (const w of rule.words) add(slurHash(w), { rule });
  const slurRule = RULES.find((r) => r.id === 'hate.slur')!;
  for (const [h, weight] of SLUR_HASHES) add(h, { rule: slurRule, weight, exact: true });
  return { entries, filter };
}

const TABLE = buildTable();

const SUFFIXES = ['s', 'es', 'ed', 'd', 'ing', 'er', 'ers', 'ly'];
// SUFFIXES by their last letter, in the same order: a word can only end in the suffixes of its own last letter.
const SUFFIXES_BY_LAST = new Map<number, string[]>();
for (const suf of SUFFIXES) {
  const last = suf.charCodeAt(suf.length - 1);
  SUFFIXES_BY_LAST.set(last, [...(SUFFIXES_BY_LAST.get(last) ?? []), suf]);
}

function lookup(h: number): TableEntry[] | undefined {
  return TABLE.filter[h & 0xffff] === 1 ? TABLE.entries.get(h) : undefined;
}

function endsWith(codes: Uint16Array, e: number, suffix: string): boolean {
  for (let k = 0; k < suffix.length; k++) if (codes[e - suffix.length + k] !== suffix.charCodeAt(k)) return false;
  return true;
}

function squeeze(codes: Uint16Array, s: number, e: number, keep: number): string {
  let out = '';
  let run = 0;
  for (let i = s; i < e; i++) {
    run = i > s && codes[i] === codes[i - 1] ? run + 1 : 1;
    if (run <= keep) out += String.fromCharCode(codes[i]!);
  }
  return out;
}

/** FNV state after the token lookupToken hashed last, so that lookupJoined continues from it instead of rehashing. */
let lastTokenState = FNV_OFFSET;

function lookupToken(codes: Uint16Array, s: number, e: number): TableEntry[] | undefined {
  const len = e - s;
  // Running FNV state after each character, so the word without a suffix costs no second pass.
  let h = FNV_OFFSET;
  let h1 = 0;
  let h2 = 0;
  let h3 = 0;
  for (let i = s; i < e; i++) {
    h3 = h2;
    h2 = h1;
    h1 = h;
    h = Math.imul(h ^ codes[i]!, FNV_PRIME);
  }
  lastTokenState = h;
  const direct = lookup(fmix32(h));
  if (direct) return direct;
  const suffixes = len >= 4 ? SUFFIXES_BY_LAST.get(codes[e - 1]!) : undefined;
  if (suffixes !== undefined) {
    for (const suf of suffixes) {
      if (len - suf.length < 3 || !endsWith(codes, e, suf)) continue;
      const stem = suf.length === 1 ? h1 : suf.length === 2 ? h2 : h3;
      const hit = lookup(fmix32(stem));
      const kept = suf === 's' ? hit : hit?.filter((x) => !x.exact);
      if (kept && kept.length > 0) return kept;
    }
  }
  // Stretched letters ("kiiiill", "fuuuck"): only tried when a run of three or more is present.
  let stretched = false;
  for (let i = s + 2; i < e && !stretched; i++) {
    stretched = codes[i]! >= 97 && codes[i] === codes[i - 1] && codes[i] === codes[i - 2];
  }
  if (stretched) {
    for (const keep of [1, 2]) {
      const hit = lookup(hashString(squeeze(codes, s, e, keep)));
      if (hit) return hit;
    }
  }
  return undefined;
}

/**
 * Slur entries matching two adjacent tokens read as one word (or its plural). `first` is the FNV state after the
 * first token's characters.
 */
function lookupJoined(codes: Uint16Array, first: number, s2: number, e2: number): TableEntry[] | undefined {
  let h = first;
  for (let i = s2; i < e2 - 1; i++) h = Math.imul(h ^ codes[i]!, FNV_PRIME);
  const withoutLast = h;
  h = Math.imul(h ^ codes[e2 - 1]!, FNV_PRIME);
  const found = lookup(fmix32(h)) ?? (codes[e2 - 1] === 115 ? lookup(fmix32(withoutLast)) : undefined);
  const slurs = found?.filter((x) => x.exact);
  return slurs && slurs.length > 0 ? slurs : undefined;
}

const MASK_CHAR_RE = /[*#@$%]/g;
const isLetter = (c: number) => (c >= 97 && c <= 122) || (c >= 65 && c <= 90);
const isMask = (c: number) => c === 42 || c === 35 || c === 64 || c === 36 || c === 37;

/**
 * Words with masking symbols inside ("f*ck", "b**ch"): found from the symbols outward, which costs nothing on text
 * without them (a pattern starting at every letter would scan every word).
 */
function* maskedWords(text: string): Generator<{ start: number; word: string }> {
  let after = -1;
  for (const m of text.matchAll(MASK_CHAR_RE)) {
    const i = m.index;
    if (i < after || !isLetter(text.charCodeAt(i - 1))) continue;
    let s = i;
    while (s > 0 && (isLetter(text.charCodeAt(s - 1)) || isMask(text.charCodeAt(s - 1)))) s--;
    let e = i;
    while (e < text.length && (isLetter(text.charCodeAt(e)) || isMask(text.charCodeAt(e)))) e++;
    after = e;
    yield { start: s, word: text.slice(s, e).toLowerCase() };
  }
}
/** Masked words looked at per text: each costs up to 676 hash lookups. */
const MAX_MASKED = 32;

/** A reading of a masked word that the word list knows, with its entries. */
interface MaskedHit {
  reading: string;
  entries: TableEntry[];
}

/**
 * The first reading of a word masked with at most two symbols ("f*ck", "b**ch") that the word list knows, trying
 * every letter fill in order (the first symbol's letter varying slowest). The readings are hashed as they are
 * filled, FNV state carried over the shared prefix, and only the one that hits becomes a string: a word with two
 * symbols has 676 readings, and this runs on every e-mail address and "#" in a text. More than two masked letters
 * leave too many readings to tell a word from noise; words under four characters are not read at all.
 */
function firstMaskedReading(word: string): MaskedHit | undefined {
  if (word.length < 4) return undefined;
  let p = -1;
  let q = -1;
  for (let i = 0; i < word.length; i++) {
    if (!isMask(word.charCodeAt(i))) continue;
    if (p === -1) p = i;
    else if (q === -1) q = i;
    else return undefined;
  }
  if (p === -1) return undefined;
  let head = FNV_OFFSET;
  for (let i = 0; i < p; i++) head = Math.imul(head ^ word.charCodeAt(i), FNV_PRIME);
  const fill = (a: number, b: number): string =>
    q === -1
      ? word.slice(0, p) + String.fromCharCode(a) + word.slice(p + 1)
      : word.slice(0, p) + String.fromCharCode(a) + word.slice(p + 1, q) + String.fromCharCode(b) + word.slice(q + 1);
  for (let a = 97; a <= 122; a++) {
    let h = Math.imul(head ^ a, FNV_PRIME);
    if (q === -1) {
      for (let i = p + 1; i < word.length; i++) h = Math.imul(h ^ word.charCodeAt(i), FNV_PRIME);
      const entries = lookup(fmix32(h));
      if (entries) return { reading: fill(a, 0), entries };
      continue;
    }
    for (let i = p + 1; i < q; i++) h = Math.imul(h ^ word.charCodeAt(i), FNV_PRIME);
    for (let b = 97; b <= 122; b++) {
      let g = Math.imul(h ^ b, FNV_PRIME);
      for (let i = q + 1; i < word.length; i++) g = Math.imul(g ^ word.charCodeAt(i), FNV_PRIME);
      const entries = lookup(fmix32(g));
      if (entries) return { reading: fill(a, b), entries };
    }
  }
  return undefined;
}

/**
 * Lower case, with stretched letters squeezed for the phrase patterns ("stuuupid idiooot" reads "stupid idiot"):
 * a run of three or more becomes one vowel or two consonants, which restores most words ("kiiilll" -> "kill").
 */
function readable(s: string): string {
  const lower = s.toLowerCase();
  let stretched = false;
  for (let i = 2; i < lower.length && !stretched; i++) {
    const c = lower.charCodeAt(i);
    stretched = c >= 97 && c <= 122 && c === lower.charCodeAt(i - 1) && c === lower.charCodeAt(i - 2);
  }
  return stretched ? lower.replace(/([a-z])\1{2,}/g, (_m, c: string) => ('aeiou'.includes(c) ? c : c + c)) : lower;
}

function combine(a: number, b: number): number {
  return 1 - (1 - a) * (1 - b);
}

/** Sentence boundaries (token index of the first token of each token's sentence, and one past its last). */
function sentenceOf(tokens: Tokens, t: number): { first: number; last: number } {
  let first = t;
  while (first > 0 && tokens.breakBefore[first] === 0 && t - first < 80) first--;
  let last = t + 1;
  while (last < tokens.count && tokens.breakBefore[last] === 0 && last - t < 80) last++;
  return { first, last };
}

/** Scans the detection copy `text` (already tokenised) with the lexicon. */
export function matchLexicon(text: string, tokens: Tokens): LexiconResult {
  // Masked words are read first, so that the phrase patterns see "idiot" where the text has "id*ot": the context
  // the patterns run on is the text with each masked word replaced by its reading (same length, same offsets).
  const masked: Array<{ t: number; entries: TableEntry[] }> = [];
  let context = text;
  if (text.includes('*') || text.includes('#') || text.includes('@') || text.includes('$') || text.includes('%')) {
    let seen = 0;
    const parts: string[] = [];
    let at = 0;
    for (const m of maskedWords(text)) {
      if (++seen > MAX_MASKED) break;
      let t = 0;
      while (t < tokens.count - 1 && tokens.ends[t]! <= m.start) t++;
      const hit = firstMaskedReading(m.word);
      if (hit) {
        masked.push({ t, entries: hit.entries });
        parts.push(text.slice(at, m.start), hit.reading);
        at = m.start + m.word.length;
      }
    }
    if (parts.length > 0) context = parts.join('') + text.slice(at);
  }
  const result: LexiconResult = { scores: {}, best: {} };
  const fired = new Map<string, number>();
  const sentenceCache = new Map<number, string>();
  const evaluated = new Set<string>();
  // Shared prefilters (the request pattern, sexual vocabulary) are tested once per sentence, not once per rule.
  const tests = new Map<RegExp, Map<number, boolean>>();
  const cachedTest = (re: RegExp, key: number, s: string): boolean => {
    let byKey = tests.get(re);
    if (!byKey) {
      byKey = new Map();
      tests.set(re, byKey);
    }
    let v = byKey.get(key);
    if (v === undefined) {
      v = re.test(s);
      byKey.set(key, v);
    }
    return v;
  };
  const ownCache = new Map<number, string>();
  /**
   * The trigger's own sentence, and the next one when it is a short follow-up ("I want to break his leg. How can I
   * do it?"): a request in some other sentence is usually about something else (a role-play's set-up, a story).
   */
  const ownSentence = (first: number, last: number): string => {
    const key = first * 100003 + last;
    let own = ownCache.get(key);
    if (own === undefined) {
      let end = tokens.ends[last - 1]!;
      if (last < tokens.count) {
        const next = sentenceOf(tokens, last);
        const nextEnd = tokens.ends[next.last - 1]!;
        if (nextEnd - tokens.starts[last]! <= 30) end = nextEnd;
      }
      own = readable(context.slice(tokens.starts[first]!, end + 1));
      ownCache.set(key, own);
    }
    return own;
  };
  const apply = (entry: TableEntry, t: number) => {
    const { rule } = entry;
    const { first, last } = sentenceOf(tokens, t);
    const start = tokens.starts[first]!;
    const end = tokens.ends[last - 1]!;
    const key = first * 100003 + last;
    const once = `${rule.id}|${key}|${entry.weight ?? ''}`;
    if (evaluated.has(once)) return;
    evaluated.add(once);
    let weights: CategoryWeights | undefined = rule.out;
    if (rule.near || rule.unless || rule.with || rule.requires) {
      let sentence = sentenceCache.get(key);
      if (sentence === undefined) {
        // Neighbouring sentences are included so that a rule sees a short question's context ("I hate them. Jews
        // are ..."), bounded so a long paragraph costs no more than a few hundred characters.
        sentence = readable(context.slice(Math.max(0, start - 80), Math.min(text.length, end + 80)));
        sentenceCache.set(key, sentence);
      }
      // Cheapest and most selective tests first; a failed `requires` or `with` skips the big phrase pattern.
      const pass =
        (!rule.requires || cachedTest(rule.requires, key, sentence)) &&
        (!rule.with || cachedTest(rule.with, -key - 1, ownSentence(first, last))) &&
        (!rule.near || rule.near.test(sentence));
      if (!pass) weights = rule.alone;
      if (weights && rule.unless?.test(sentence)) weights = undefined;
    }
    if (!weights) return;
    for (const [cat, w0] of Object.entries(weights) as Array<[ModerationCategory, number]>) {
      const w = entry.weight ?? w0;
      const key = `${rule.id}|${cat}`;
      const prev = fired.get(key) ?? 0;
      if (w <= prev) continue;
      fired.set(key, w);
      const best = result.best[cat];
      if (!best || w > best.weight) result.best[cat] = { rule: rule.id, category: cat, weight: w, start, end };
    }
  };
  const { codes, starts, ends } = tokens;
  for (let t = 0; t < tokens.count; t++) {
    const hit = lookupToken(codes, starts[t]!, ends[t]!);
    const state = lastTokenState;
    if (hit) for (const entry of hit) apply(entry, t);
    // A slur split in two ("nig gers") that the normaliser's spaced-letter folding does not rejoin.
    if (t + 1 < tokens.count && starts[t + 1]! - ends[t]! <= 2) {
      const len = ends[t]! - starts[t]! + ends[t + 1]! - starts[t + 1]!;
      if (len >= 4 && len <= 14) {
        const joined = lookupJoined(codes, state, starts[t + 1]!, ends[t + 1]!);
        if (joined) for (const entry of joined) apply(entry, t);
      }
    }
  }
  for (const { t, entries } of masked) for (const entry of entries) apply(entry, t);
  for (const [key, w] of fired) {
    const cat = key.slice(key.indexOf('|') + 1) as ModerationCategory;
    result.scores[cat] = combine(result.scores[cat] ?? 0, w);
  }
  return result;
}

/** Rule ids, for documentation and tests. */
export const LEXICON_RULE_IDS: readonly string[] = RULES.map((r) => r.id);
