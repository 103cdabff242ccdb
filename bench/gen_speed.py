#!/usr/bin/env python3
"""gen_speed.py - seeded corpus for dupfind's speed and memory benchmarks.

    python3 bench/gen_speed.py --seed S --mb SIZE --out DIR
                               [--non-ascii FRACTION] [--format files|jsonl]
                               [--docs N] [--doc-bytes B] [--large-docs F]

Writes about SIZE MB (10^6 bytes) of text, or exactly --docs N documents,
as one file per document (--format files, the default):

    DIR/docs/NNNN/dNNNNNNN.txt      1,000 files a directory

or as JSON Lines (--format jsonl), one record a document:

    DIR/corpus.jsonl                {"id": "dNNNNNNN", "text": "..."}

plus DIR/pairs.tsv (planted near-duplicate pairs: a, b, edit, parameter)
and DIR/meta.txt (what was written: documents, bytes, shares).  The same
--seed, --mb/--docs, --doc-bytes, --large-docs and --non-ascii give the
same documents in both formats, so files and JSONL runs read the same
text.

The text.  English clauses from about 30 templates over a vocabulary
written for this generator (function words, ~730 nouns, ~260 verbs with
their inflections, ~330 adjectives, ~90 adverbs, 4,000 names and rare
words built from syllables, numbers and years), every word class drawn
with Zipf-Mandelbrot frequencies (s = 1.05, q = 8; q = 2.7 for function
words); sentences of one to three clauses; paragraphs of 2-7 sentences;
a title line.  To be fast (1 GB in a few minutes) sentences are
precomputed as templates (about one for every four sentences written,
at most a million) whose noun slots are filled with fresh Zipf-drawn
nouns and names each time one is used, so that the shingles unrelated
documents share stay near what the accuracy corpus (gen_corpus.py) has
rather than what a small pool of fixed sentences would give: in the
first 3,000 documents of the 100 MB corpus, 19% of a document's
distinct 5-word shingles occur in another of them (gen_corpus.py: 25%).

Documents: ~4 KiB (log-normal, median --doc-bytes, default 4,000 bytes,
sigma 0.3, clipped to 1/4..3x the median), and --large-docs of them
(default 0.001: one in a thousand, about an eighth of the bytes) of
100 KiB - 2 MiB, log-uniform.  About 4% of the ordinary documents are
near-duplicates of a recent document: some words substituted, deleted or
inserted (2-15%), paragraphs shuffled, or a paragraph added.

--non-ascii F (default 0): about F of the bytes are non-ASCII-bearing
text: paragraphs (and, for about a third of that share, whole documents)
in one of three made-up languages: accented Latin (about 40%: French-,
German-, Spanish-like words with accents), Cyrillic (35%) and CJK
(25%: Chinese-like runs of Han characters, some with Japanese kana,
with full-width punctuation).  meta.txt gives the share achieved and the
share of bytes >= 0x80.

Only the standard library; random.Random(seed) is the only source of
randomness, and nothing depends on hash order.
"""

import argparse
import bisect
import itertools
import json
import math
import os
import random
import sys

# ---------------------------------------------------------------------------
# English vocabulary (written for this generator).

DET = ("the the the the a a an this that these those its their our every "
       "some each no his her my your one another such").split()
PREP = ("of of of in in in to to for for on on with with at at by by from "
        "from about into over after under between through during before "
        "without within along across behind beyond near around against "
        "toward upon beside").split()
PRON = "he she it they we you i someone nobody everyone".split()
AUX = ("will would can could should might must may did does "
       "will_not cannot").split()
CONJ = (", and |, but | because |, while |; | and |, so | although "
        "| when | until |, yet | since | after | before | where ").split("|")

NOUNS = """
account address advice agreement airport amount animal answer apartment
appearance apple application approach argument army arrival article artist
aspect assignment assistant atmosphere attempt attitude audience author
average balance bank basis basket battery beach bean bedroom beer bell
benefit bicycle bird birth blade blanket block board boat bone border bottle
bottom boundary brain branch bread breakfast bridge brother budget building
bus butter button cabin cable cake camera campaign canal candle capital car
card career carpet case castle cat category ceiling cell century chain chair
chamber champion chance channel chapter character charge chart cheese chest
child choice church circle citizen city claim class clerk client climate
clock cloud coast coat coffee collar collection college colour column
comment committee community company comparison competition complaint
computer concept concert condition conference connection consequence
contract conversation cook corner cottage council counter country county
courage course court cousin cover crew crop crowd culture cup currency
curtain customer cycle dance danger database daughter debate decade decision
degree delivery department deposit desert design desk detail device diamond
diet difference dinner direction director discussion disease distance
district doctor document dog door drawer dream dress drink driver drum
economy edge editor education effect effort election element emotion
employee energy engine engineer entrance environment equipment error estate
evening event evidence exam example exchange exercise experience expert
factor factory failure family farm farmer fashion father feature fee
festival field figure film finger fire fish flag flight floor flower focus
food football forest fortune frame freedom friend fruit fuel function
funeral furniture future garage garden gate gene gift girl glass goal gold
government grain grass group growth guard guest guide guitar habit hair hall
hand harbour hat health heart height highway history hole holiday home hope
horse hospital hotel hour house husband idea image impact income industry
information injury insect inside instance instrument insurance interest
internet island issue item jacket journey judge juice key kid kitchen knee
knife knowledge ladder lake lamp land language lawyer layer leader lecture
ledger leg lesson letter level library licence lift light line link lip
list literature loan location lock machine magazine maintenance manager
manner map market marriage material meal meaning measure meat medicine
meeting member memory menu message metal method middle midnight mile
milk mind minister minute mirror mission mistake mixture model moment money
month mood morning mother motor mountain mouse mouth movement movie museum
music nation nature neck needle neighbour nerve network news newspaper
night noise north note novel number nurse object ocean office officer oil
opinion orange orchard order organisation outcome oven owner package page
pain painting pair paper parent park part partner party passage passenger
path patient pattern payment peace pen pencil people pepper percentage
period person phone photo piano picture piece pipe pitch place plan plane
plant plate platform player pocket poem poet point police policy pool
population port position post pot potato power practice president pressure
price priest prince principle printer prison problem procedure process
product profession professor profit program progress project property
proposal protection purpose quality quantity queen question radio railway
rain range rate reaction reader reality reason receipt recipe record
region relation religion report republic reputation request research
resident resource response restaurant result review reward rice river road
rock role roof room root rope route rule safety salad salary sale salt
sample sand scene schedule scheme school science screen sea season seat
secret secretary section sector security sense series servant server
service session setting shadow shape share sheep shelf shell shift ship
shirt shoe shop shoulder signal silver singer sister site situation size
skill skin sky sleep slope smoke snow society soil soldier solution son
song sound soup source south space speaker speech speed spirit sport
spring square staff stage stair standard star statement station statue
steam step stick stock stomach stone storage store storm story stranger
strategy stream street strength structure student studio style subject
success sugar suggestion summer supermarket supply surface survey system
table tail task tax tea teacher team technology telephone television
temperature tennis tent term territory test text theatre theory thing
thought threat throat ticket tie timber tool tooth topic tower town track
trade tradition traffic train transport tree trial trip truck truth tunnel
uncle union unit university user valley value van vehicle version victim
video village violin visitor voice volume wage wall war warehouse water
wave wealth weapon weather wedding week weekend weight wheel window wine
winner winter witness woman wood word worker workshop world writer yard
year youth zone
""".split()

# base, past, -ing, 3rd person (irregular ones spelled out)
VERBS_IRREGULAR = """
begin began beginning begins|bring brought bringing brings|build built
building builds|buy bought buying buys|catch caught catching catches|choose
chose choosing chooses|come came coming comes|cut cut cutting cuts|draw drew
drawing draws|drive drove driving drives|eat ate eating eats|fall fell
falling falls|feel felt feeling feels|find found finding finds|fly flew
flying flies|forget forgot forgetting forgets|get got getting gets|give gave
giving gives|go went going goes|grow grew growing grows|hear heard hearing
hears|hold held holding holds|keep kept keeping keeps|know knew knowing
knows|lead led leading leads|leave left leaving leaves|lend lent lending
lends|lose lost losing loses|make made making makes|meet met meeting meets|
pay paid paying pays|put put putting puts|read read reading reads|ride rode
riding rides|rise rose rising rises|run ran running runs|say said saying
says|see saw seeing sees|sell sold selling sells|send sent sending sends|
set set setting sets|shake shook shaking shakes|show showed showing shows|
sing sang singing sings|sit sat sitting sits|sleep slept sleeping sleeps|
speak spoke speaking speaks|spend spent spending spends|stand stood standing
stands|steal stole stealing steals|swim swam swimming swims|take took taking
takes|teach taught teaching teaches|tell told telling tells|think thought
thinking thinks|throw threw throwing throws|understand understood
understanding understands|wake woke waking wakes|wear wore wearing wears|
win won winning wins|write wrote writing writes
"""

VERBS_REGULAR = """
accept achieve add admire admit agree allow announce appear apply arrange
arrive ask attach attack attend avoid bake borrow calculate call carry
change check clean climb close collect compare complain complete consider
contain continue copy correct count cover crash create cross cry damage
decide deliver depend describe design destroy develop discover discuss
divide doubt dress drop earn enjoy enter escape examine expect explain
explore fail fill finish fix follow gather guess hang happen hate help hope
identify imagine improve include increase inform intend introduce invent
invite join jump kick kill knock land last laugh learn lift like listen
live look love manage mark marry measure mention miss move need notice
obtain offer open order own paint pass perform pick place plan play point
practise prefer prepare present prevent print produce promise protect
provide publish pull push reach realise receive recognise record reduce
refuse relax release remain remember remove repair repeat replace reply
report request require rescue return reveal review rush save search serve
settle share shout sign smile solve sort start stay stop study suggest
supply support suppose surprise switch talk taste test thank touch train
travel treat trust try turn use visit wait walk want warn wash watch wish
wonder work worry
"""

ADJ = """
able active actual afraid ancient angry annual anxious available aware awful
bad basic beautiful big bitter blank blind blue bold bored brave brief
bright broad broken brown busy calm capable careful central certain cheap
chemical chief civil classic clean clear close cold comfortable common
complete complex confident conscious constant cool correct crazy critical
cultural curious current dangerous dark dead dear decent deep democratic
different difficult digital direct dirty distant domestic double dry due
eager early eastern easy economic educational effective efficient elderly
electric empty enormous entire environmental equal essential even evil
exact excellent existing expensive extra fair false familiar famous far fast
fat federal female final financial fine firm flat foreign formal former
free fresh friendly full funny general gentle genuine global golden good
grand great green grey guilty happy hard healthy heavy helpful hidden high
historical honest hot huge human hungry ideal ill illegal important
impossible independent industrial initial inner innocent interesting
internal international kind large late legal level light likely little
live local logical long loose loud lovely low lucky mad main major male
massive medical mental middle mild military minor modern moral narrow
national natural nearby neat necessary negative nervous new nice noble
normal northern obvious odd official old open ordinary original other
outer pale particular past patient perfect permanent personal physical
plain pleasant polite political poor popular positive possible powerful
practical precious pretty previous primary private proper proud public
pure quick quiet rare raw ready real recent red regular relevant remote
rich right rough round royal rural sad safe scientific secret senior
serious sharp short shy significant silent silly similar simple single
slow small smart smooth social soft solid southern special specific
square steady steep strange strict strong stupid successful sudden sweet
tall technical terrible thick thin tiny tired total tough traditional
typical ugly unable unhappy unique unusual upper urban useful usual vague
valuable various vast visible vital warm weak wealthy weird western wet
white whole wide wild wise wooden wrong yellow young
"""

ADV = """
again almost already also always anyway barely carefully certainly clearly
closely completely constantly correctly daily deeply directly early easily
entirely equally especially eventually exactly fairly finally firmly fully
generally gently gradually hardly heavily here highly honestly immediately
indeed largely lately later less likely loudly mainly merely mostly nearly
never normally now occasionally often only openly partly perhaps possibly
precisely probably quickly quietly rarely rather really recently regularly
roughly seldom seriously simply slightly slowly sometimes soon still
strongly suddenly surely then there today together twice usually very
well widely yesterday
"""

SYL_ON = "b br c ch cl d dr f fl g gr h j k l m n p pr qu r s sh sl st t th tr v w y z".split()
SYL_NU = "a e i o u a e i o ai ea ou ie oa".split()
SYL_CO = "n r s l m t nd rt st ck ng th ss x ld ll nt".split()


def zipf_cum(n, rng, s=1.05, q=2.7):
    """Cumulative Zipf-Mandelbrot weights for n items in a shuffled order."""
    w = [1.0 / (i + q) ** s for i in range(n)]
    rng.shuffle(w)
    return list(itertools.accumulate(w))


class Bag:
    """Items drawn with Zipf-like frequencies."""

    def __init__(self, items, rng, s=1.05, q=8.0):
        self.items = list(items)
        self.cum = zipf_cum(len(self.items), rng, s, q)
        self.total = self.cum[-1]

    def pick(self, rng):
        return self.items[bisect.bisect(self.cum, rng.random() * self.total)]

    def picks(self, rng, k):
        return rng.choices(self.items, cum_weights=self.cum, k=k)


def made_word(rng, lo=2, hi=4):
    n = rng.randint(lo, hi)
    w = []
    for i in range(n):
        w.append(rng.choice(SYL_ON) if i or rng.random() < 0.8 else "")
        w.append(rng.choice(SYL_NU))
        if rng.random() < 0.35:
            w.append(rng.choice(SYL_CO))
    return "".join(w)


def plural(n):
    if n.endswith(("s", "x", "ch", "sh")):
        return n + "es"
    if n.endswith("y") and n[-2] not in "aeiou":
        return n[:-1] + "ies"
    if n.endswith("fe"):
        return n[:-2] + "ves"
    return n + "s"


def regular_forms(v):
    if v.endswith("e"):
        past, ing = v + "d", v[:-1] + "ing"
    elif v.endswith("y") and v[-2] not in "aeiou":
        past, ing = v[:-1] + "ied", v + "ing"
    else:
        past, ing = v + "ed", v + "ing"
    if v.endswith(("s", "x", "ch", "sh")):
        third = v + "es"
    elif v.endswith("y") and v[-2] not in "aeiou":
        third = v[:-1] + "ies"
    else:
        third = v + "s"
    return (v, past, ing, third)


class English:
    def __init__(self, rng):
        verbs = [tuple(x.split()) for x in VERBS_IRREGULAR.split("|")]
        verbs += [regular_forms(v) for v in VERBS_REGULAR.split()]
        self.verbs = Bag(verbs, rng)
        self.nouns = Bag(NOUNS, rng)
        self.adj = Bag(ADJ.split(), rng)
        self.adv = Bag(ADV.split(), rng)
        self.det = Bag(DET, rng, 0.8, 2.7)
        self.prep = Bag(PREP, rng, 0.8, 2.7)
        self.pron = Bag(PRON, rng, 0.8, 2.7)
        self.aux = Bag([a.replace("_", " ") for a in AUX], rng, 0.8, 2.7)
        # The long tail: names and rare words made of syllables.
        seen = set()
        names = []
        while len(names) < 4000:
            w = made_word(rng)
            if w not in seen:
                seen.add(w)
                names.append(w)
        self.names = Bag([n.capitalize() for n in names[:2500]], rng, 1.0)
        self.rare = Bag(names[2500:], rng, 1.0)

    def np(self, rng):
        """A noun phrase.  "{}" is a noun slot, filled with a freshly
        drawn noun or name each time the sentence is used."""
        r = rng.random()
        if r < 0.12:
            return "{}"
        if rng.random() < 0.3:
            n = plural(self.nouns.pick(rng))
            d = rng.choice(("the", "the", "some", "many", "these", "their",
                            "our", "few", "most", "two", "three"))
            if r < 0.45:
                return "%s %s %s" % (d, self.adj.pick(rng), n)
            return "%s %s" % (d, n)
        d = self.det.pick(rng)
        if d in ("a", "an"):
            d = "the"
        if r < 0.45:
            a = self.adj.pick(rng)
            if rng.random() < 0.4:
                d = "an" if a[0] in "aeiou" else "a"
            return "%s %s {}" % (d, a)
        if r < 0.5:
            return "%s {} of %s" % (d, self.rare.pick(rng))
        return "%s {}" % d

    def fillers(self, rng):
        """What fills a noun slot: nouns, and names for about 1 in 8."""
        nouns = Bag(NOUNS, rng)
        names = self.names
        k = 0.88 / nouns.total
        cum = [c * k for c in nouns.cum]
        k = 0.12 / names.total
        cum += [0.88 + c * k for c in names.cum]
        return nouns.items + names.items, cum

    def clause(self, rng):
        v = self.verbs.pick(rng)
        t = rng.randrange(30)
        np = self.np
        if t < 5:
            return "%s %s %s" % (np(rng), v[1], np(rng))
        if t < 8:
            return "%s %s %s %s %s" % (np(rng), v[1], np(rng),
                                       self.prep.pick(rng), np(rng))
        if t < 10:
            return "%s %s %s %s" % (self.pron.pick(rng), self.aux.pick(rng),
                                    v[0], np(rng))
        if t < 12:
            return "%s %s %s" % (np(rng), v[3], self.adv.pick(rng))
        if t < 14:
            return "%s %s that %s was %s" % (np(rng), v[1], np(rng),
                                             self.adj.pick(rng))
        if t < 15:
            return "in %d %s %s %s" % (rng.randint(1850, 2030), np(rng),
                                       v[1], np(rng))
        if t < 16:
            return "there were %d %s %s %s" % (
                rng.randint(2, 900), plural(self.nouns.pick(rng)),
                self.prep.pick(rng), np(rng))
        if t < 18:
            return "%s was %s %s %s" % (np(rng), v[2], np(rng),
                                        self.adv.pick(rng))
        if t < 19:
            return "%s is %s and %s" % (np(rng), self.adj.pick(rng),
                                        self.adj.pick(rng))
        if t < 20:
            return "%s %s the {} to %s" % (self.pron.pick(rng), v[1],
                                           np(rng))
        if t < 21:
            return "%s %s %s %s %s percent" % (
                np(rng), v[1], self.adv.pick(rng), "by",
                rng.randint(1, 99))
        if t < 22:
            return "%s %s %s" % (self.adv.pick(rng), np(rng), v[1])
        if t < 23:
            return "%s %s be %s %s" % (np(rng), self.aux.pick(rng),
                                       self.adj.pick(rng),
                                       self.prep.pick(rng) + " " + np(rng))
        if t < 24:
            return "%s kept %s %s" % (np(rng), v[2], np(rng))
        if t < 25:
            return "%s, {} said, %s %s" % (np(rng), v[1], np(rng))
        if t < 26:
            return "%s %s %s %s" % (self.pron.pick(rng), v[1], np(rng),
                                    self.adv.pick(rng))
        if t < 27:
            return "%s of %s %s %s" % (rng.choice(("most", "all", "none",
                                                   "some", "each")),
                                       np(rng), v[1], np(rng))
        if t < 28:
            return "%s %s %s %s in %s" % (
                np(rng), v[1], np(rng), self.adv.pick(rng),
                rng.choice(("January", "March", "May", "July", "October",
                            "the spring", "the winter", "the morning")))
        if t < 29:
            return "%s %s at %d:%02d" % (np(rng), v[1], rng.randint(1, 12),
                                         rng.randrange(60))
        return "%s %s %s %s" % (np(rng), v[3], self.prep.pick(rng), np(rng))

    def title(self, rng):
        n = rng.randint(3, 7)
        words = [self.nouns.pick(rng) if i % 2 else self.adj.pick(rng)
                 for i in range(n)]
        return " ".join(w.capitalize() for w in words)


def cap(s):
    return s[:1].upper() + s[1:]


def english_sentences(eng, rng, nclauses, nsentences):
    """Sentence templates: clauses joined, "{}" noun slots."""
    clauses = [eng.clause(rng) for _ in range(nclauses)]
    out = []
    for _ in range(nsentences):
        r = rng.random()
        n = 1 if r < 0.45 else 2 if r < 0.85 else 3
        parts = rng.choices(clauses, k=n)
        s = parts[0]
        for p in parts[1:]:
            s += rng.choice(CONJ) + p
        if s.startswith("{}"):     # the first word is capitalised: fix it
            s = eng.names.pick(rng) + s[2:]
        e = rng.random()
        out.append(cap(s) + ("." if e < 0.9 else "?" if e < 0.96 else "!"))
    return out


# ---------------------------------------------------------------------------
# Non-ASCII text: three made-up languages.

LAT_SYL = ("ré la mé ço na tè ber stra ße ño ca fé dé jà ti vi gé mè lu zi "
           "à ê î ö ä hü gä rü mon sel pa ri ví ón ção ã õ ñu tér dor ül "
           "schö grü bé vé lé né pé lì mó ú ég").split()
LAT_FUNC = ("le la les de du des et à en un une und der die das mit für "
            "el los las que por con para über på och är ne pas très").split()
CYR_CON = "б в г д ж з к л м н п р с т ф х ц ч ш щ".split()
CYR_VOW = "а е и о у ы э ю я ё а о е и".split()
CYR_FUNC = "и в не на что с по как это он она к из за о мы вы".split()
KANA = list("のにはをがてたでとしもかなるれ")
CJK_PUNCT = "，"


def lat_word(rng):
    n = rng.randint(1, 4)
    w = "".join(rng.choice(LAT_SYL) if rng.random() < 0.45
                else rng.choice(SYL_ON) + rng.choice(SYL_NU)
                for _ in range(n))
    return w


def cyr_word(rng):
    n = rng.randint(1, 4)
    w = []
    for _ in range(n):
        w.append(rng.choice(CYR_CON))
        w.append(rng.choice(CYR_VOW))
        if rng.random() < 0.3:
            w.append(rng.choice(CYR_CON))
    return "".join(w)


class Foreign:
    """Sentence templates of the three made-up languages; about half of
    the content words are "{}" slots, filled at each use."""

    def __init__(self, rng):
        self.lat = Bag(sorted({lat_word(rng) for _ in range(8000)}), rng)
        self.latf = Bag(LAT_FUNC, rng, 0.8, 2.7)
        self.cyr = Bag(sorted({cyr_word(rng) for _ in range(8000)}), rng)
        self.cyrf = Bag(CYR_FUNC, rng, 0.8, 2.7)
        han = [chr(c) for c in rng.sample(range(0x4E00, 0x9FA6), 3500)]
        self.han = Bag(han, rng, 1.0)
        words = set()
        while len(words) < 12000:
            words.add("".join(self.han.picks(rng, rng.choice((1, 2, 2, 3)))))
        self.hanw = Bag(sorted(words), rng, 1.0)

    def _words(self, rng, content, func, pfunc):
        n = rng.randint(6, 18)
        w = []
        for i in range(n):
            if rng.random() < pfunc:
                w.append(func.pick(rng))
            elif i and rng.random() < 0.5:
                w.append("{}")
            else:
                w.append(content.pick(rng))
        w[0] = cap(w[0])
        if n > 10 and rng.random() < 0.4:
            w[rng.randint(3, n - 4)] += ","
        return " ".join(w) + ("." if rng.random() < 0.92 else "?")

    def lat_sentence(self, rng):
        return self._words(rng, self.lat, self.latf, 0.3)

    def cyr_sentence(self, rng):
        return self._words(rng, self.cyr, self.cyrf, 0.25)

    def cjk_sentence(self, rng):
        n = rng.randint(5, 20)
        jp = rng.random() < 0.3
        out = []
        run = rng.randint(3, 7)
        for i in range(n):
            out.append("{}" if rng.random() < 0.5 else self.hanw.pick(rng))
            if jp and rng.random() < 0.35:
                out.append(rng.choice(KANA))
            run -= 1
            if run == 0 and i < n - 2:
                out.append(CJK_PUNCT)
                run = rng.randint(3, 7)
        return "".join(out) + "。"


# ---------------------------------------------------------------------------
# Documents.

class Lang:
    """Sentence templates of one language and what fills their slots."""

    def __init__(self, name, share, templates, sep, fill_items, fill_cum):
        self.name = name
        self.share = share          # of the non-ASCII bytes (by count)
        self.templates = templates
        self.slots = [t.count("{}") for t in templates]
        self.sep = sep
        self.fill_items = fill_items
        self.fill_cum = fill_cum


class Pools:
    """Precomputed sentence templates; documents are drawn from them and
    their slots filled afresh each time."""

    def __init__(self, rng, total_bytes, non_ascii):
        eng = English(rng)
        # About one template per four sentences written, so that a
        # template's fixed words recur in a handful of documents only.
        nsent = int(min(1_000_000, max(60_000, total_bytes // 400)))
        nclause = nsent
        items, cum = eng.fillers(rng)
        self.en = Lang("en", 0, english_sentences(eng, rng, nclause, nsent),
                       " ", items, cum)
        self.titles = [eng.title(rng) for _ in range(20_000)]
        self.foreign = []
        if non_ascii > 0:
            f = Foreign(rng)
            nf = max(20_000, nsent // 5)
            self.foreign = [
                Lang("lat", 0.40, [f.lat_sentence(rng) for _ in range(nf)],
                     " ", f.lat.items, f.lat.cum),
                Lang("cyr", 0.35, [f.cyr_sentence(rng) for _ in range(nf)],
                     " ", f.cyr.items, f.cyr.cum),
                Lang("cjk", 0.25, [f.cjk_sentence(rng) for _ in range(nf)],
                     "", f.hanw.items, f.hanw.cum),
            ]
        # Words for the insertions and substitutions of near-duplicates.
        self.words = items[:len(NOUNS)] + ADJ.split() + ADV.split()


class Generator:
    def __init__(self, seed, total_bytes, non_ascii, doc_bytes, large_docs):
        self.rng = random.Random(seed)
        self.non_ascii = non_ascii
        self.doc_bytes = doc_bytes
        self.large_docs = large_docs
        self.pools = Pools(self.rng, total_bytes, non_ascii)
        self.recent = []           # (index, text) of recent documents
        self.pairs = []
        self.total = 0             # bytes written
        self.foreign_bytes = 0     # bytes of non-ASCII-bearing paragraphs
        self.high_bytes = 0        # bytes >= 0x80 (counted on samples)
        self.sampled = 0
        self.large = 0
        # Paragraph probability in English documents: a third of the
        # non-ASCII share comes from whole foreign documents.
        self.p_doc = non_ascii / 3
        rest = non_ascii - self.p_doc
        self.p_par = rest / (1 - self.p_doc) if self.p_doc < 1 else 0

    def paragraph(self, lang, size):
        """2-7 sentences of lang, stopping once size characters are
        reached; the slots filled with fresh draws."""
        rng = self.rng
        k = rng.randint(2, 7)
        idx = rng.choices(range(len(lang.templates)), k=k)
        parts = []
        n = nslots = 0
        for i in idx:
            t = lang.templates[i]
            parts.append(t)
            nslots += lang.slots[i]
            n += len(t) + 1
            if n >= size:
                break
        words = rng.choices(lang.fill_items, cum_weights=lang.fill_cum,
                            k=nslots)
        return lang.sep.join(parts).format(*words)

    def foreign_kind(self):
        r = self.rng.random()
        for lang in self.pools.foreign:
            r -= lang.share
            if r < 0:
                return lang
        return self.pools.foreign[-1]

    def size(self):
        rng = self.rng
        if self.large_docs > 0 and rng.random() < self.large_docs:
            self.large += 1
            return int(math.exp(rng.uniform(math.log(100 * 1024),
                                            math.log(2 * 1024 * 1024)))), True
        m = self.doc_bytes
        s = int(rng.lognormvariate(math.log(m), 0.3))
        return max(m // 4, min(3 * m, s)), False

    def fresh(self, target):
        """A new document of about target bytes: (text, foreign bytes)."""
        rng = self.rng
        pools = self.pools
        paras = []
        n = 0                      # bytes so far
        fb = 0                     # of which in non-ASCII-bearing text
        if target >= 800:
            t = rng.choice(pools.titles)
            paras.append(t)
            n = len(t) + 2
        whole = None
        if pools.foreign and rng.random() < self.p_doc:
            whole = self.foreign_kind()
        while n < target:
            kind = whole
            if kind is None and pools.foreign:
                # Steered so that the share comes out near the target.
                deficit = self.non_ascii * (self.total + n) - \
                    (self.foreign_bytes + fb)
                if rng.random() < self.p_par + deficit / 200_000:
                    kind = self.foreign_kind()
            want = min(target - n, rng.randint(300, 900))
            if kind is None:
                p = self.paragraph(pools.en, want)
                b = len(p) + 2
            else:
                p = self.paragraph(kind, want)
                b = len(p.encode("utf-8")) + 2
                fb += b
            paras.append(p)
            n += b
        return "\n\n".join(paras) + "\n", fb

    def edit(self, src):
        rng = self.rng
        r = rng.random()
        if r < 0.6:
            words = src.split(" ")
            share = rng.uniform(0.02, 0.15)
            m = max(1, int(len(words) * share))
            how = rng.choice(("substitute", "delete", "insert"))
            pool = self.pools.words
            if how == "substitute":
                for i in rng.sample(range(len(words)), min(m, len(words))):
                    words[i] = rng.choice(pool)
            elif how == "delete":
                drop = set(rng.sample(range(len(words)), min(m, len(words))))
                words = [w for i, w in enumerate(words) if i not in drop]
            else:
                for _ in range(m):
                    words.insert(rng.randrange(len(words) + 1),
                                 rng.choice(pool))
            return " ".join(words), how, "%.3f" % share
        paras = src.rstrip("\n").split("\n\n")
        if r < 0.8 and len(paras) > 2:
            body = paras[1:]
            rng.shuffle(body)
            return "\n\n".join(paras[:1] + body) + "\n", "shuffle", \
                str(len(paras))
        extra = self.paragraph(self.pools.en, 600)
        paras.insert(rng.randrange(len(paras) + 1), extra)
        return "\n\n".join(paras) + "\n", "add-paragraph", "1"

    def document(self, i):
        """Text of document i (called in order)."""
        rng = self.rng
        target, large = self.size()
        if not large and self.recent and rng.random() < 0.04:
            j, src, sfb = rng.choice(self.recent)
            text, how, param = self.edit(src)
            self.pairs.append((j, i, how, param))
            fb = sfb * len(text) // max(1, len(src))
        else:
            text, fb = self.fresh(target)
            if not large:
                self.recent.append((i, text, fb))
                if len(self.recent) > 200:
                    del self.recent[rng.randrange(len(self.recent))]
        self.foreign_bytes += fb
        return text


def name(i):
    return "d%07d" % i


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--mb", type=float, default=100,
                    help="megabytes (10^6 bytes) of text to write")
    ap.add_argument("--docs", type=int, default=0,
                    help="write exactly this many documents instead")
    ap.add_argument("--out", required=True)
    ap.add_argument("--non-ascii", type=float, default=0.0,
                    help="share of the bytes in non-ASCII-bearing text")
    ap.add_argument("--format", choices=("files", "jsonl"), default="files")
    ap.add_argument("--doc-bytes", type=int, default=4000,
                    help="median size of an ordinary document")
    ap.add_argument("--large-docs", type=float, default=0.001,
                    help="share of documents of 100 KiB - 2 MiB")
    a = ap.parse_args()
    if not 0 <= a.non_ascii <= 1:
        ap.error("--non-ascii must be in [0, 1]")
    limit = int(a.mb * 1e6)
    est = a.docs * a.doc_bytes if a.docs else limit
    g = Generator(a.seed, est, a.non_ascii, a.doc_bytes, a.large_docs)

    os.makedirs(a.out, exist_ok=True)
    if a.format == "jsonl":
        out = open(os.path.join(a.out, "corpus.jsonl"), "w",
                   encoding="utf-8", newline="\n")
        chunk, chunk_len = [], 0
    i = 0
    while (i < a.docs) if a.docs else (g.total < limit):
        text = g.document(i)
        b = text.encode("utf-8")
        g.total += len(b)
        if i % 50 == 0:
            g.high_bytes += sum(1 for c in b if c >= 0x80)
            g.sampled += len(b)
        if a.format == "files":
            d = os.path.join(a.out, "docs", "%04d" % (i // 1000))
            if i % 1000 == 0:
                os.makedirs(d, exist_ok=True)
            fd = os.open(os.path.join(d, name(i) + ".txt"),
                         os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o644)
            os.write(fd, b)
            os.close(fd)
        else:
            line = json.dumps({"id": name(i), "text": text},
                              ensure_ascii=False)
            chunk.append(line)
            chunk_len += len(line)
            if chunk_len > 8 << 20:
                out.write("\n".join(chunk) + "\n")
                chunk, chunk_len = [], 0
        i += 1
    if a.format == "jsonl":
        if chunk:
            out.write("\n".join(chunk) + "\n")
        out.close()
    with open(os.path.join(a.out, "pairs.tsv"), "w") as f:
        for j, k, how, param in g.pairs:
            f.write("%s\t%s\t%s\t%s\n" % (name(j), name(k), how, param))
    with open(os.path.join(a.out, "meta.txt"), "w") as f:
        f.write("seed %d\nformat %s\ndocuments %d\nbytes %d\n"
                "large_documents %d\nnear_duplicate_pairs %d\n"
                "non_ascii_target %.3f\nnon_ascii_bearing_share %.3f\n"
                "bytes_ge_0x80_share %.3f\n"
                % (a.seed, a.format, i, g.total, g.large, len(g.pairs),
                   a.non_ascii, g.foreign_bytes / max(1, g.total),
                   g.high_bytes / max(1, g.sampled)))
    return 0


if __name__ == "__main__":
    sys.exit(main())
