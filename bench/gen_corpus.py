#!/usr/bin/env python3
"""gen_corpus.py - synthetic English-like corpus with planted near-duplicates.

    python3 bench/gen_corpus.py --seed S --docs N --out DIR

Writes DIR/docs/dNNNNN.txt (N documents) and DIR/manifest.tsv, which names
every planted pair:

    a  b  kind  param

a is the source document, b the derived one (file names relative to
DIR/docs).  Kinds and their parameter:

    substitute  share of the words replaced by other words (0.01..0.30)
    insert      words inserted, as a share of the source's words
    delete      share of the words deleted
    shuffle     paragraphs put in a random order (param: paragraph count)
    embed       a is copied verbatim into b, which is param (2..10) times
                as long; the rest of b is unrelated text
    excerpt     a run of a's paragraphs (param: their share of a's words,
                about 0.3..0.9) is copied into b, 1.5..10 times as long as
                that run; the rest of b is unrelated text

A source gets one to three derived documents; pairs of documents derived
from the same source are not listed (the scorer calls them "other").
The rest of the corpus is unrelated documents.  Independently of all
this, a large share of the documents (about 40%) belongs to one of three
"sites" and carries that site's ~40-word navigation header and/or
~40-word licence footer, so the same boilerplate appears in hundreds of
otherwise unrelated documents.  DIR/sites.tsv lists each document's site
(empty when none).

The text: sentences from about 30 templates over a hand-made vocabulary
of roughly 1,300 words (nouns, verbs with their inflections, adjectives,
adverbs, names made of syllables, numbers), each word class drawn with
Zipf-like (Zipf-Mandelbrot, s = 1) frequencies, and a per-document topic
that favours 30 of the nouns; paragraphs of 2 to 8 sentences; documents
of 150 to 1,500 words (log-uniform).  The output depends only on --seed
and --docs: random.Random with a fixed seed, no other source of
randomness, no hash-order dependence (checked with Python 3.11; the
calls used are ones whose results Python keeps stable across versions).
"""

import argparse
import bisect
import math
import os
import random
import sys

# ---------------------------------------------------------------------------
# Vocabulary (written for this generator).

NOUNS = """
time year people way day man woman child world life hand part place case
week company system program question work government number night point
home water room mother area money story fact month lot right study book eye
job word business issue side kind head house service friend father power
hour game line end member law car city community name president team minute
idea kid body information back parent face others level office door health
person art war history party result change morning reason research girl guy
moment air teacher force education foot boy age policy process music market
sense nation plan college interest death experience effect use class control
care field development role effort rate heart drug show leader light voice
wife police mind price report decision son view relationship town road arm
difference value building action model season society tax director position
player record paper space ground form event official matter center couple
site project activity star table need court oil situation cost industry
figure street image phone data picture practice piece land product doctor
wall patient worker news test movie north love support technology step baby
computer type attention film tree source organization hair window evidence
population site river garden bridge harbor valley mountain island forest
village kitchen bakery library museum station engine machine bicycle boat
ship train letter song dinner breakfast window garden bread cheese apple
winter summer spring autumn weather storm rain snow wind sun moon coast
lake farm field orchard market square tower castle church school hospital
factory mill shop ledger map compass lantern candle blanket basket bottle
glass cup plate knife spoon chair bench desk shelf drawer box envelope
ticket coin wallet clock watch camera radio signal wire cable battery
network server file folder screen keyboard message report budget contract
invoice meeting schedule deadline committee council mayor judge lawyer
soldier captain sailor farmer baker fisherman painter writer singer
student scientist engineer nurse pilot driver neighbor stranger guest
visitor audience crowd festival holiday journey voyage path trail fence
gate roof floor stair corner border frontier province region district
""".split()

TOPIC_NOUNS = {
    "sea": "harbor boat ship sailor fisherman coast island tide net anchor "
           "lighthouse wave current deck cargo storm gull pier dock mast "
           "keel rope hull voyage compass captain shore reef bay cove".split(),
    "farm": "farmer field orchard barn harvest wheat barley cattle sheep "
            "tractor plough soil seed fence hay well pasture goat hen "
            "market apple pear cider season drought rain mill granary crop "
            "stable".split(),
    "city": "street square tower council mayor tram station bridge office "
            "market district traffic apartment shop cafe museum library "
            "theater park avenue corner crowd neighbor landlord rent "
            "festival parade lamp sidewalk".split(),
    "tech": "computer network server file folder screen keyboard software "
            "database cable battery signal engineer code update device "
            "memory processor system program data backup password laptop "
            "printer router bug release patch".split(),
    "kitchen": "kitchen bread cheese oven flour butter sugar salt pepper "
               "recipe dough pan pot knife spoon plate cup soup stew onion "
               "garlic herb lemon honey egg milk baker dinner breakfast "
               "table".split(),
    "law": "court judge lawyer law contract case evidence witness trial "
           "verdict appeal statute clause tenant claim fee ruling jury "
           "hearing petition deed estate will notary record clerk council "
           "license permit fine".split(),
    "travel": "journey voyage ticket train station passport border luggage "
              "hotel map guide road trail mountain valley village inn "
              "bus driver pilot airport flight route timetable tourist "
              "postcard camera coast river".split(),
    "school": "school teacher student class lesson exam homework book "
              "library desk chalk board pencil paper grade principal "
              "semester lecture essay notebook course subject history "
              "science math music project campus".split(),
    "health": "doctor nurse patient hospital clinic medicine fever cough "
              "treatment surgery injury bandage pill dose symptom "
              "diagnosis recovery diet exercise sleep heart lung blood "
              "bone muscle pain therapy ward visit".split(),
    "music": "song singer band guitar piano drum violin concert stage "
             "audience melody rhythm chorus verse album record tune "
             "orchestra conductor note chord festival tour ticket "
             "microphone studio lyric choir hall".split(),
    "business": "company market price budget invoice contract meeting "
                "schedule deadline manager customer product service sale "
                "profit loss tax report board share investor bank loan "
                "supplier order shipment warehouse office staff".split(),
    "nature": "forest tree river lake mountain valley meadow flower bird "
              "fox deer wolf bear moss fern stone cliff cave spring "
              "stream marsh heron owl oak pine birch leaf branch root".split(),
}

ADJECTIVES = """
good new first last long great little own other old right big high different
small large next early young important few public bad same able late hard
major better economic strong possible whole free military true federal
international full special easy clear recent certain personal open red
difficult available likely short single medical current wrong private past
foreign fine common poor natural significant similar hot dead central happy
serious ready simple left physical general environmental financial blue
democratic dark various entire close legal religious cold final main green
nice huge popular traditional cultural quiet narrow wide heavy light bright
empty busy calm careful cheap clean deep dry fresh friendly gentle golden
grey honest kind lazy loud lucky modern muddy nervous noisy pale patient
plain polite proud rare rich rough sharp silent slow smooth soft steep
strange sudden sweet tall thick thin tidy tired warm weak wet wild wise
wooden yellow ancient broken crowded distant eager faint famous gloomy
hollow humble hungry icy lonely narrow northern southern eastern western
""".split()

ADVERBS = """
also very often however too usually really early never always sometimes
together likely simply generally instead actually again rather almost
especially ever quickly probably already below directly therefore else
thus easily eventually exactly certainly normally currently extremely
finally constantly properly slowly quietly suddenly carefully gently loudly
rarely barely nearly hardly soon later today yesterday tomorrow abroad
indoors outside upstairs gladly warmly firmly briefly openly partly
""".split()

# Verbs: base form; regular inflections are derived, irregular ones given.
VERBS = """
say get make go know take see come think look want give use find tell ask
work seem feel try leave call keep let begin help talk turn start show hear
play run move like live believe hold bring happen write provide sit stand
lose pay meet include continue set learn change lead understand watch follow
stop create speak read allow add spend grow open walk win offer remember
love consider appear buy wait serve die send expect build stay fall cut
reach kill remain suggest raise pass sell require report decide pull carry
break receive agree support hit produce eat cover catch draw choose wear
visit sign repair paint clean cook bake plant fix mend count measure weigh
borrow lend carry climb cross drive fly sail swim ride travel wander
gather collect deliver return explain describe discuss argue answer
promise refuse accept invite thank warn guess wonder notice ignore
forget forgive hide seek fight throw shake sing teach sleep wake
""".split()

IRREGULAR = {
    # base: (past, past participle)
    "say": ("said", "said"), "get": ("got", "gotten"), "make": ("made", "made"),
    "go": ("went", "gone"), "know": ("knew", "known"), "take": ("took", "taken"),
    "see": ("saw", "seen"), "come": ("came", "come"), "think": ("thought", "thought"),
    "give": ("gave", "given"), "find": ("found", "found"), "tell": ("told", "told"),
    "feel": ("felt", "felt"), "leave": ("left", "left"), "keep": ("kept", "kept"),
    "let": ("let", "let"), "begin": ("began", "begun"), "hear": ("heard", "heard"),
    "run": ("ran", "run"), "hold": ("held", "held"), "bring": ("brought", "brought"),
    "write": ("wrote", "written"), "sit": ("sat", "sat"), "stand": ("stood", "stood"),
    "lose": ("lost", "lost"), "pay": ("paid", "paid"), "meet": ("met", "met"),
    "set": ("set", "set"), "lead": ("led", "led"),
    "understand": ("understood", "understood"), "speak": ("spoke", "spoken"),
    "read": ("read", "read"), "spend": ("spent", "spent"), "grow": ("grew", "grown"),
    "win": ("won", "won"), "buy": ("bought", "bought"), "send": ("sent", "sent"),
    "build": ("built", "built"), "fall": ("fell", "fallen"), "cut": ("cut", "cut"),
    "sell": ("sold", "sold"), "break": ("broke", "broken"), "hit": ("hit", "hit"),
    "eat": ("ate", "eaten"), "catch": ("caught", "caught"), "draw": ("drew", "drawn"),
    "choose": ("chose", "chosen"), "wear": ("wore", "worn"), "lend": ("lent", "lent"),
    "drive": ("drove", "driven"), "fly": ("flew", "flown"), "swim": ("swam", "swum"),
    "ride": ("rode", "ridden"), "forget": ("forgot", "forgotten"),
    "forgive": ("forgave", "forgiven"), "hide": ("hid", "hidden"),
    "seek": ("sought", "sought"), "fight": ("fought", "fought"),
    "throw": ("threw", "thrown"), "shake": ("shook", "shaken"),
    "sing": ("sang", "sung"), "teach": ("taught", "taught"),
    "sleep": ("slept", "slept"), "wake": ("woke", "woken"), "die": ("died", "died"),
}

PREPOSITIONS = """
in on at by with from for about into over under near across behind beside
between through during before after along around toward without beyond
inside outside against among
""".split()

SUBORDINATORS = """
because although while when after before since unless until once whenever
""".split()

DETERMINERS = ["the"] * 12 + ["a"] * 6 + """this that every each some no
another our their his her its my your one""".split()

PRONOUNS = "he she they we it I you".split()
OBJECT_PRONOUNS = "him her them us it me you".split()

NUMBER_WORDS = """two three four five six seven eight nine ten eleven twelve
twenty thirty forty fifty hundred several many""".split()

SYLLABLES = """ba be bi bo bu da de di do du fa fe fi fo ga ge go ha he ho
ka ke ki ko la le li lo lu ma me mi mo na ne ni no pa pe pi po ra re ri ro
ru sa se si so ta te ti to va ve vi vo wa we wi za zo ar el in or an en on
ur al il ol ber dan gar hal kor lin mar nor pel ros sel tan var wen""".split()

# Boilerplate: three "sites", each with a navigation header and a licence
# footer of about 40 words (written for this generator).
SITES = [
    ("Home News Local Sport Weather Culture Opinion Obituaries Archive "
     "Subscribe Log in Search the Valley Courier online edition for "
     "stories photos and public notices from across the county updated "
     "every morning by our newsroom staff and readers",
     "Copyright the Valley Courier Media Group All rights reserved "
     "Material on this page may not be reproduced distributed transmitted "
     "cached or otherwise used except with the prior written permission "
     "of the publisher Contact the newsroom Privacy policy Terms of use"),
    ("Skip to main content Menu Projects Documentation Downloads Community "
     "Forum Blog Donate Sign in You are reading the community wiki of the "
     "Open Harbor project where volunteers maintain guides notes and "
     "answers for new and returning users",
     "Text is available under the Creative Commons Attribution Share Alike "
     "licence additional terms may apply This page was last edited by a "
     "volunteer of the Open Harbor project please report mistakes on the "
     "talk page About Disclaimers Code of conduct"),
    ("Welcome to the Riverside Council information portal Services "
     "Waste and recycling Parking Planning Council tax Libraries Jobs "
     "Events Report a problem Accessibility Translate this page into "
     "another language using the menu at the top",
     "Riverside Council Town Hall Market Street Opening hours Monday to "
     "Friday nine until five Follow us for service updates Cookies help "
     "us improve this website by collecting anonymous information about "
     "how it is used Accept all Manage settings"),
]


def zipf_cum(n, s=1.0, q=2.7):
    """Cumulative Zipf-Mandelbrot weights for ranks 0..n-1."""
    cum, t = [], 0.0
    for r in range(n):
        t += 1.0 / (r + 1 + q) ** s
        cum.append(t)
    return cum


class Vocab:
    def __init__(self, rng):
        self.rng = rng
        self.nouns = list(dict.fromkeys(NOUNS))
        for words in TOPIC_NOUNS.values():
            for w in words:
                if w not in self.nouns:
                    self.nouns.append(w)
        self.adjs = list(dict.fromkeys(ADJECTIVES))
        self.advs = list(dict.fromkeys(ADVERBS))
        self.verbs = list(dict.fromkeys(VERBS))
        # Frequency ranks are fixed by the list order shuffled once per
        # corpus seed, so which words are common is itself random.
        for lst in (self.nouns, self.adjs, self.advs, self.verbs):
            rng.shuffle(lst)
        self.names = self._make_names(160)
        self.places = self._make_names(80, place=True)
        self.cum = {}
        for key, lst in (("noun", self.nouns), ("adj", self.adjs),
                         ("adv", self.advs), ("verb", self.verbs),
                         ("name", self.names), ("place", self.places),
                         ("prep", PREPOSITIONS), ("sub", SUBORDINATORS),
                         ("det", DETERMINERS), ("pron", PRONOUNS),
                         ("num", NUMBER_WORDS)):
            self.cum[key] = (lst, zipf_cum(len(lst)))
        self.all_words = (self.nouns + self.adjs + self.advs + self.verbs +
                          PREPOSITIONS + DETERMINERS[12 + 6:] + self.names)
        self.all_cum = zipf_cum(len(self.all_words), s=0.9, q=10)
        # Words for substitutions/insertions: a whole-vocabulary Zipf.
        wl = self.all_words[:]
        rng.shuffle(wl)
        self.all_words = wl

    def _make_names(self, n, place=False):
        out, seen = [], set()
        while len(out) < n:
            k = self.rng.choice((2, 2, 3)) if not place else self.rng.choice((2, 3, 3))
            w = "".join(self.rng.choice(SYLLABLES) for _ in range(k))
            if place:
                w += self.rng.choice(("ton", "by", "ford", "wick", "holm",
                                      "stead", "mouth", "dale", ""))
            w = w.capitalize()
            if w not in seen and len(w) > 3:
                seen.add(w)
                out.append(w)
        return out

    def pick(self, key):
        lst, cum = self.cum[key]
        return lst[bisect.bisect_left(cum, self.rng.random() * cum[-1])]

    def any_word(self):
        cum = self.all_cum
        return self.all_words[bisect.bisect_left(cum, self.rng.random() * cum[-1])]


def plural(n):
    irregular = {"man": "men", "woman": "women", "child": "children",
                 "person": "people", "foot": "feet", "mouse": "mice",
                 "life": "lives", "wife": "wives", "knife": "knives",
                 "leaf": "leaves", "shelf": "shelves", "wolf": "wolves",
                 "sheep": "sheep", "fish": "fish",
                 "people": "people", "data": "data", "news": "news",
                 "police": "police", "others": "others"}
    if n in irregular:
        return irregular[n]
    if n.endswith(("s", "x", "ch", "sh")):
        return n + "es"
    if n.endswith("y") and n[-2] not in "aeiou":
        return n[:-1] + "ies"
    return n + "s"


def past(v):
    if v in IRREGULAR:
        return IRREGULAR[v][0]
    if v.endswith("e"):
        return v + "d"
    if v.endswith("y") and v[-2] not in "aeiou":
        return v[:-1] + "ied"
    if (len(v) <= 4 and v[-1] in "bdgmnpt" and v[-2] in "aeiou"
            and v[-3] not in "aeiou"):
        return v + v[-1] + "ed"
    return v + "ed"


def participle(v):
    if v in IRREGULAR:
        return IRREGULAR[v][1]
    return past(v)


def third(v):
    if v in ("have",):
        return "has"
    if v.endswith(("s", "x", "ch", "sh", "o")):
        return v + "es"
    if v.endswith("y") and v[-2] not in "aeiou":
        return v[:-1] + "ies"
    return v + "s"


def gerund(v):
    if v == "die":
        return "dying"
    if v.endswith("e") and not v.endswith("ee"):
        return v[:-1] + "ing"
    if (len(v) <= 4 and v[-1] in "bdgmnpt" and v[-2] in "aeiou"
            and v[-3] not in "aeiou"):
        return v + v[-1] + "ing"
    return v + "ing"


class Writer:
    """Sentences, paragraphs and documents."""

    def __init__(self, vocab, rng):
        self.v = vocab
        self.rng = rng
        self.topic = None

    def noun(self):
        if self.topic and self.rng.random() < 0.35:
            lst = TOPIC_NOUNS[self.topic]
            # Zipf inside the topic list too.
            r = int(len(lst) * self.rng.random() ** 2)
            return lst[r]
        return self.v.pick("noun")

    def np(self, depth=0, allow_pron=True, obj=False):
        rng, v = self.rng, self.v
        x = rng.random()
        if allow_pron and x < 0.12:
            if obj:
                return [rng.choice(OBJECT_PRONOUNS)]
            return [v.pick("pron")]
        if x < 0.22:
            return [v.pick("name")]
        words = [v.pick("det")]
        if rng.random() < 0.45:
            words.append(v.pick("adj"))
        n = self.noun()
        if rng.random() < 0.2 and words[0] in ("the", "some", "no", "our",
                                               "their", "his", "her", "my",
                                               "your"):
            n = plural(n)
        if words[0] == "a" and (words[1] if len(words) > 1 else n)[0] in "aeiou":
            words[0] = "an"
        words.append(n)
        if depth == 0 and rng.random() < 0.15:
            words += ["of"] + self.np(depth + 1, allow_pron=False)
        return words

    def pp(self):
        if self.rng.random() < 0.1:
            return ["in", self.v.pick("place")]
        return [self.v.pick("prep")] + self.np(1, allow_pron=False)

    def sentence(self):
        rng, v = self.rng, self.v
        S = self.np                                 # subject
        O = lambda: self.np(obj=True)               # object
        N = lambda: self.np(allow_pron=False)       # no pronoun
        t = rng.randrange(30)
        verb = v.pick("verb")
        if t < 6:
            s = S() + [past(verb)] + N()
            if rng.random() < 0.6:
                s += self.pp()
        elif t < 8:
            s = S() + [past(verb), v.pick("adv")]
        elif t < 10:
            s = self.pp() + [","] + S() + [past(verb)] + O()
        elif t < 12:
            s = (N() + [","] + [v.pick("sub")] + S() +
                 [past(v.pick("verb"))] + O() + [","] + [past(verb)] +
                 O() + self.pp())
        elif t < 13:
            s = [v.pick("pron"), "said", "that"] + S() + [past(verb)] + O()
        elif t < 15:
            s = S() + [rng.choice(("was", "seemed", "looked", "felt")),
                       v.pick("adj"), "and", v.pick("adj")]
        elif t < 16:
            s = ["there", "were", v.pick("num"), plural(self.noun())] + self.pp()
        elif t < 17:
            s = S() + ["had", "never", participle(verb)] + O()
        elif t < 18:
            s = S() + ["will", verb] + O() + self.pp()
        elif t < 19:
            s = ["why", "did"] + S() + [verb] + O() + ["?"]
        elif t < 21:
            s = N() + [third(verb)] + O() + [v.pick("adv")]
        elif t < 22:
            s = (["in", str(rng.randrange(1850, 2025)), ","] + [v.pick("name")] +
                 [past(verb)] + O() + self.pp())
        elif t < 23:
            s = S() + ["was", gerund(verb)] + O() + ["when"] + \
                S() + [past(v.pick("verb"))]
        elif t < 24:
            s = ["it", "was", v.pick("adj"), "to", verb] + O() + self.pp()
        elif t < 25:
            s = (N() + ["and"] + N() + [past(verb)] + O() +
                 ["for", str(rng.randrange(2, 60)),
                  rng.choice(("days", "hours", "weeks", "years", "minutes"))])
        elif t < 26:
            s = [v.pick("adv"), ","] + S() + [past(verb)] + O()
        elif t < 27:
            s = S() + ["could", "not", verb] + O() + ["because"] + \
                N() + ["was", v.pick("adj")]
        elif t < 28:
            s = (["after"] + S() + [past(v.pick("verb"))] + [","] +
                 S() + [past(verb)] + self.pp())
        elif t < 29:
            s = S() + ["wanted", "to", verb] + O() + [v.pick("adv")]
        else:
            s = (["when"] + S() + [past(v.pick("verb"))] + self.pp() +
                 [","] + S() + [past(verb), "it", v.pick("adv")])
        return render(s)

    def paragraph(self):
        return " ".join(self.sentence()
                        for _ in range(self.rng.randint(2, 8)))

    def body(self, nwords):
        """Paragraphs (strings) until about nwords words."""
        paras, n = [], 0
        while n < nwords:
            p = self.paragraph()
            paras.append(p)
            n += len(p.split())
        return paras

    def title(self):
        w = [self.v.pick("adj").capitalize(), self.noun().capitalize()]
        if self.rng.random() < 0.5:
            w += [self.v.pick("prep"), self.v.pick("place")]
        return " ".join(w)


def render(words):
    out = []
    for w in words:
        if w in (",", "?") and out:
            out[-1] += w
        else:
            out.append(w)
    s = " ".join(out)
    if not s.endswith("?"):
        s += "."
    return s[0].upper() + s[1:]


# ---------------------------------------------------------------------------
# Edits on the words of a document, paragraph structure kept.


def words_of(paras):
    return [p.split() for p in paras]


def join_paras(wparas):
    return [" ".join(p) for p in wparas if p]


def positions(wparas):
    return [(i, j) for i, p in enumerate(wparas) for j in range(len(p))]


def edit_substitute(rng, vocab, paras, rate):
    wp = words_of(paras)
    pos = positions(wp)
    for i, j in rng.sample(pos, max(1, round(rate * len(pos)))):
        w = wp[i][j]
        tail = w[len(w.rstrip(".,?")):]
        new = vocab.any_word()
        while new.lower() == w.rstrip(".,?").lower():
            new = vocab.any_word()
        if w[:1].isupper():
            new = new.capitalize()
        wp[i][j] = new + tail
    return join_paras(wp)


def edit_insert(rng, vocab, paras, rate):
    wp = words_of(paras)
    pos = positions(wp)
    chosen = sorted(rng.sample(pos, max(1, round(rate * len(pos)))),
                    reverse=True)
    for i, j in chosen:   # back to front: earlier indices stay valid
        wp[i].insert(j + 1, vocab.any_word())
    return join_paras(wp)


def edit_delete(rng, vocab, paras, rate):
    wp = words_of(paras)
    pos = positions(wp)
    chosen = set(rng.sample(pos, max(1, round(rate * len(pos)))))
    wp = [[w for j, w in enumerate(p) if (i, j) not in chosen]
          for i, p in enumerate(wp)]
    return join_paras(wp)


def edit_shuffle(rng, paras):
    order = list(range(len(paras)))
    while len(order) > 1 and order == sorted(order):
        rng.shuffle(order)
    return [paras[i] for i in order]


# ---------------------------------------------------------------------------


def log_uniform(rng, lo, hi):
    return int(round(math.exp(rng.uniform(math.log(lo), math.log(hi)))))


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--docs", type=int, default=5000)
    ap.add_argument("--out", required=True)
    ap.add_argument("--family-share", type=float, default=0.55,
                    help="share of documents in planted families (0.55)")
    ap.add_argument("--site-share", type=float, default=0.4,
                    help="share of documents with site boilerplate (0.4)")
    args = ap.parse_args()

    rng = random.Random(args.seed)
    vocab = Vocab(rng)
    writer = Writer(vocab, rng)
    topics = sorted(TOPIC_NOUNS)
    rates = [0.01, 0.02, 0.03, 0.05, 0.07, 0.10, 0.15, 0.20, 0.25, 0.30]
    kinds = ["substitute", "insert", "delete", "shuffle", "embed",
             "excerpt"]

    def new_text(nwords):
        writer.topic = rng.choice(topics) if rng.random() < 0.8 else None
        return [writer.title()] + writer.body(nwords)

    docs = []        # (paragraphs, source index or None)
    planted = []     # (source index, derived index, kind, param)
    n = args.docs
    target_family = int(n * args.family_share)
    while len(docs) < n:
        if len(docs) < target_family and n - len(docs) >= 2:
            src = len(docs)
            base = new_text(log_uniform(rng, 150, 1500))
            docs.append(base)
            for _ in range(rng.choice((1, 1, 2, 2, 3))):
                if len(docs) >= n:
                    break
                kind = rng.choice(kinds)
                if kind == "embed":
                    ratio = round(rng.uniform(2.0, 10.0), 1)
                    nbase = sum(len(p.split()) for p in base)
                    extra = int(nbase * (ratio - 1))
                    before = rng.randint(0, extra)
                    writer.topic = rng.choice(topics)
                    pre = writer.body(before) if before >= 20 else []
                    post = writer.body(extra - before) if extra - before >= 20 else []
                    derived = pre + base + post
                    param = ratio
                elif kind == "excerpt":
                    body = base[1:]
                    lens = [len(p.split()) for p in body]
                    want = rng.uniform(0.3, 0.9) * sum(lens)
                    i = j = rng.randrange(len(body))
                    got = 0
                    while got < want:
                        if j < len(body):
                            got += lens[j]
                            j += 1
                        else:
                            i -= 1
                            got += lens[i]
                    part = body[i:j]
                    param = round(got / (sum(lens) + len(base[0].split())), 2)
                    extra = int(got * (rng.uniform(1.5, 10.0) - 1))
                    before = rng.randint(0, extra)
                    writer.topic = rng.choice(topics)
                    pre = writer.body(before) if before >= 20 else []
                    post = writer.body(extra - before) if extra - before >= 20 else []
                    derived = [writer.title()] + pre + part + post
                elif kind == "shuffle":
                    derived = [base[0]] + edit_shuffle(rng, base[1:])
                    param = len(base) - 1
                else:
                    param = rng.choice(rates)
                    fn = {"substitute": edit_substitute,
                          "insert": edit_insert,
                          "delete": edit_delete}[kind]
                    derived = fn(rng, vocab, base, param)
                planted.append((src, len(docs), kind, param))
                docs.append(derived)
        else:
            docs.append(new_text(log_uniform(rng, 150, 1500)))

    # Boilerplate sites, independent of the families; sites of unequal
    # size (50%, 30%, 20% of the site documents).
    site = []
    for _ in range(n):
        if rng.random() < args.site_share:
            s = bisect.bisect_left([0.5, 0.8, 1.0], rng.random())
            part = rng.choice(("both", "both", "header", "footer"))
            site.append((s, part))
        else:
            site.append(None)

    # Random file names so that families are not neighbours.
    ids = list(range(n))
    rng.shuffle(ids)
    name = ["d%05d.txt" % ids[i] for i in range(n)]

    ddir = os.path.join(args.out, "docs")
    os.makedirs(ddir, exist_ok=True)
    for i, paras in enumerate(docs):
        parts = []
        if site[i] and site[i][1] in ("both", "header"):
            parts.append(SITES[site[i][0]][0])
        parts += paras
        if site[i] and site[i][1] in ("both", "footer"):
            parts.append(SITES[site[i][0]][1])
        with open(os.path.join(ddir, name[i]), "w", encoding="utf-8") as f:
            f.write("\n\n".join(parts) + "\n")
    with open(os.path.join(args.out, "manifest.tsv"), "w") as f:
        f.write("a\tb\tkind\tparam\n")
        for a, b, kind, param in planted:
            f.write("%s\t%s\t%s\t%s\n" % (name[a], name[b], kind, param))
    with open(os.path.join(args.out, "sites.tsv"), "w") as f:
        f.write("doc\tsite\tpart\n")
        for i in range(n):
            s = site[i]
            f.write("%s\t%s\t%s\n" % (name[i], "" if not s else s[0],
                                      "" if not s else s[1]))
    print("%s: %d documents, %d planted pairs, %d with boilerplate"
          % (args.out, n, len(planted), sum(1 for s in site if s)),
          file=sys.stderr)


if __name__ == "__main__":
    main()
