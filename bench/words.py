"""Word lists for the benchmark corpus: English stems with their inflections, domain terms,
phrases and facet values of a colocation, cloud and security provider's marketing content."""

from __future__ import annotations

import random

FUNCTION_WORDS = """
the of and to a in for is on that with as by it this be are from at or an your our we you
can will more their all has have not but which its each into than also how when what who
most new one two while across over about these those they them through between only other
such both may must should could would been was were there here up out so if then because
per via without within after before during under every any some many much very just even
well first three four five six seven ten hundred thousand million no yes own same where why
whether until since toward against among around above below behind beyond upon whose whom
us my his her he she do does did doing done get gets got make makes made take takes took
""".split()

# "stem" or "stem:past" where the past tense is irregular or doubles its last consonant.
VERBS = """
access accelerate accept accommodate achieve acquire activate adapt add address adjust
administer adopt advance advise affect aggregate align allocate allow alter analyze
anticipate apply appoint approach approve argue arrange assemble assess assign assist assume
assure attach attempt attend attract augment authenticate authorize automate avoid balance
benchmark benefit block boost brand bridge broker budget build:built bundle calculate
capture centralize certify challenge change charge check choose:chose claim clarify classify
clean close collaborate collect combine commission commit:committed communicate compare
compete compile complete comply compose compress compute concentrate conclude configure
confirm connect conserve consider consolidate construct consult consume contain continue
contract contribute control:controlled convert coordinate copy correct count cover create
cut:cut decide declare decline decommission decrease dedicate defend define delay deliver
demand demonstrate deploy depend deposit derive describe design detect determine develop
differentiate digitize direct discover display distribute diversify document double drive:drove
drop:dropped earn ease educate eliminate embed emerge emphasize employ enable encourage
encrypt end endorse enforce engage engineer enhance enroll ensure enter equip escalate
establish estimate evaluate evolve examine exceed exchange execute exhibit expand expect
experience explain explore export expose extend extract facilitate fail feature filter
finance finish fit:fitted fix focus follow forecast form founder frame fund gain gather
generate govern grant grow:grew guarantee guide handle harden harness help highlight hire
host identify illustrate impact implement import improve include incorporate increase index
indicate influence inform initiate innovate inspect install integrate intend interconnect
introduce invest invite invoice isolate issue join justify keep:kept label launch lead:led
lease leverage license limit link list load locate lock log:logged maintain manage map:mapped
market match measure meet:met merge migrate minimize mirror mitigate model:modeled modernize
modify monitor move multiply navigate negotiate network notify observe obtain offer offload
onboard open operate optimize orchestrate order organize outline outsource overcome:overcame
own package pair partner pass patch pay:paid perform permit:permitted pilot place plan:planned
position power practice predict prefer:preferred prepare present preserve prevent price
prioritize process procure produce program:programmed project promote protect prove provide
provision publish purchase pursue qualify quantify question quote raise rank reach react
read:read realize rebuild:rebuilt receive recommend reconcile record recover recruit reduce
refine reflect refresh register regulate reinforce release rely remain remediate remove
renew rent reorganize repair replace replicate report represent request require reserve
resolve respond restore restrict result retain retire return reuse reveal review reward
route run:ran safeguard save scale schedule score screen secure segment select sell:sold
separate serve service settle shape share shift:shifted ship:shipped shorten show signal
simplify size solve source span:spanned specify spend:spent stabilize standardize start
state steer store strengthen stress structure submit:submitted subscribe succeed suggest
supply support surface survey sustain switch target team test think:thought track trade train
transfer:transferred transform transition translate transmit:transmitted travel treat trust
tune understand:understood unify update upgrade use validate value verify view visit warn
weigh win:won work write:wrote yield
""".split()

NOUNS = """
ability access account accountability accuracy acquisition action activity adoption
advantage advice agency agenda agent agreement alert allocation alternative ambition amount
analysis analyst answer appetite application approach approval architecture area argument
asset assumption attention audience authority availability awareness baseline basis battery
behavior benefit bill board boundary brand breach budget buffer building business buyer
calendar campaign candidate capability capacity capital card career case catalog category
center certainty chain challenge champion change channel chapter charge chart checklist
choice circuit city claim class client climate cluster coalition code collection column
commitment committee community company comparison competitor complexity component concept
concern condition conference confidence configuration conflict connection consequence
constraint consultant consumer contact content context contract contractor contribution
control conversation conversion copy core corporation cost council counsel country course
coverage credit crisis criterion culture currency curve customer cycle damage data database
deadline deal debt decade decision default definition degree delivery demand department
deployment deposit depth design detail developer development device difference dimension
direction director discipline discount discussion disk distance distribution district
division document domain driver duration duty economy edition effect efficiency effort
element emergency emphasis employee engine engineer enterprise entity entry environment
equipment error estate estimate evaluation event evidence example exception exchange
executive exercise expectation expense experience expert expertise exposure extension
facility factor failure family feature fee feedback field figure file finding firm fleet
floor focus footprint force format formula foundation framework frequency function fund
future gap gateway generation goal governance grade graph group growth guarantee guidance
guide guideline hall handoff hardware headcount health history horizon hour household hub
idea identity impact implication incentive incident income increase index indicator
industry influence information infrastructure initiative innovation input insight inspection
installation instance institution instrument insurance integration integrity intelligence
interest interface interval inventory investment investor invoice issue item journey
judgment key knowledge label labor landscape language layer leader leadership lease lesson
level liability license lifecycle limit line link list load loan location logic loss machine
maintenance majority management manager manufacturer margin market marketplace material
matter maturity meaning measure mechanism medium meeting member memory message method metric
milestone mind minute mission mistake mix mode model module moment momentum month motion
movement name need network node notice number objective obligation occupancy offer office
officer operation operator opinion opportunity option order organization outage outcome
output owner ownership package page panel paper parameter part participant partner
partnership party patch path pattern payment peak penalty percent performance period permit
person perspective phase picture piece pilot pipeline place plan planning platform player
point policy pool portal portfolio position possibility potential practice premise premium
preparation presence pressure price principle priority problem procedure process processor
product production profile profit program progress project proof property proposal
protection protocol provider provision purchase purpose quality quarter query question
queue range rate ratio reader reality reason record recovery reduction reference region
regulation regulator relationship release reliability remainder report repository request
requirement research reserve resilience resource response responsibility result retention
return revenue review reward right risk road roadmap role room root round route rule runbook
safety sale sample savings scale scenario schedule scheme scope score screen search season
sector segment selection sensor sequence series server service session setting share
shift shortage signal signature site situation size skill slot software solution source
space speaker specialist specification speed sponsor staff stage stakeholder standard
statement station status step storage story strategy stream strength structure study
subscriber subscription success suite summary supplier supply support surface survey
system table talent target task team technician technology template tenant term territory
test theme threshold ticket tier time timeline tool topic total track tradeoff traffic
transaction transfer transition trend trial trigger truth type unit update upgrade usage
user utility value variable variance vendor version view visibility vision volume warranty
waste way weakness week window workflow workforce workload workplace workshop world year zone
""".split()

ADJECTIVES = """
able active actual additional adequate advanced affordable aggressive agile annual
applicable appropriate automatic available average aware basic better big brief broad
busy capable careful central certain cheap clear close common comparable competitive
complete complex comprehensive confident consistent constant continuous convenient core
correct costly critical crucial current custom daily dedicated deep default dense direct
distinct distributed diverse domestic dominant durable dynamic early easy economic effective
efficient elastic electric eligible emerging empty entire environmental equal essential
exact excellent exclusive existing expensive experienced explicit extensive external fair
familiar fast favorable federal final financial firm fiscal flat flexible formal former
frequent fresh full functional fundamental general global good gradual great green gross
growing hard healthy heavy helpful hidden high historic honest huge ideal immediate
important independent individual industrial inherent initial innovative instant internal
international key large late lean legacy legal light likely limited live local logical long
low main major manual massive mature maximum meaningful measurable medical mobile moderate
modern modular monthly multiple mutual narrow national native natural necessary negative net
neutral next nominal normal notable numerous objective obvious official ongoing open
operational optimal optional ordinary original overall partial particular passive peak
permanent personal physical planned popular portable positive possible potential powerful
practical precise predictable premium present previous primary prior private proactive
productive professional profitable proper proven public quick quiet rapid rare rational raw
ready real realistic reasonable recent redundant regional regular relevant reliable remote
repeatable resilient responsible responsive rich right robust rough routine safe scalable
seamless secondary secure sensitive separate serious severe shared sharp short significant
similar simple single slow small smart smooth social solid sophisticated special specific
stable standard static steady strategic strict strong structural substantial
successful sudden sufficient suitable superior sustainable technical temporary terrible
thorough tight total traditional transparent typical unique universal unusual urgent useful
usual valuable variable various vast virtual visible vital weekly whole wide worldwide
""".split()

# Words a provider's content repeats far more than general English does.
DOMAIN_TERMS = """
colocation colo cloud multicloud datacenter rack cabinet cage suite kilowatt megawatt
cooling airflow containment chiller redundancy uptime latency bandwidth interconnection
crossconnect carrier peering fiber router firewall encryption compliance auditor soc hipaa
pci gdpr iso fedramp certification ransomware phishing malware threat vulnerability
authentication authorization zero segmentation backup failover replication snapshot archive
compute virtualization hypervisor container kubernetes orchestration migration hybrid edge
capex opex tco roi depreciation amortization billing pricing renewal procurement sla kpi
dashboard analytics telemetry monitoring observability sustainability carbon renewable pue
ups generator switchgear substation feed density liquid immersion hyperscale tenant metro
campus onramp gpu inference cybersecurity siem sase ddos mfa sso ztna iam vpn wan sdwan lan
ethernet wavelength dwdm throughput jitter packet protocol api automation devops finops
chargeback showback forecasting accrual ledger cashflow ebitda payback breakeven lease
leaseback workloads deduplication immutability rto rpo dr drp continuity resiliency tier
uptime biometric mantrap cctv perimeter escort badge audit attestation pentest patching
endpoint xdr edr soar playbook incident forensics governance riskscore hardening baseline
microsegmentation tokenization keyvault hsm certificate tls ssl cipher quantum storage
object block nvme flash tape vault cold warm hot latency sovereignty residency jurisdiction
colocated interconnected provisioned virtualized containerized hyperconverged baremetal
""".split()

# Frequent multi-word terms, spliced into sentences so phrase queries have real hits.
PHRASES = [
    "total cost of ownership",
    "hybrid cloud",
    "data center",
    "disaster recovery",
    "business continuity",
    "zero trust",
    "public cloud",
    "private cloud",
    "edge computing",
    "power usage effectiveness",
    "service level agreement",
    "return on investment",
    "cross connect",
    "remote hands",
    "managed security",
    "security operations center",
    "cloud migration",
    "capital expenditure",
    "operating expense",
    "carbon neutral",
    "renewable energy",
    "liquid cooling",
    "high density",
    "network fabric",
    "direct cloud connection",
    "private suite",
    "dedicated cage",
    "shared cabinet",
    "threat detection",
    "incident response",
    "identity and access management",
    "multi factor authentication",
    "compliance audit",
    "regulatory requirements",
    "board of directors",
    "cost savings",
    "budget planning",
    "five year forecast",
    "workload placement",
    "application performance",
    "latency sensitive",
    "real time",
    "customer experience",
    "digital transformation",
    "supply chain",
    "vendor consolidation",
    "contract renewal",
    "pricing model",
    "committed spend",
    "burst capacity",
    "backup and recovery",
    "immutable backups",
    "ransomware protection",
    "patient data",
    "trading platform",
    "payment card data",
    "artificial intelligence",
    "machine learning",
    "gpu clusters",
    "inference workloads",
    "critical infrastructure",
    "uptime guarantee",
]

STAGES = ["Awareness", "Consideration", "Decision", "Onboarding", "Expansion"]
PERSONAS = [
    "Executive/CEO",
    "CFO/Finance",
    "CIO/IT leader",
    "Operations",
    "Procurement",
    "End user",
]
TYPES = [
    "white paper",
    "case study",
    "blog post",
    "data sheet",
    "slide deck",
    "one-pager",
    "video/link",
]
INDUSTRIES = [
    "Healthcare",
    "Financial services",
    "Retail",
    "Manufacturing",
    "Public sector",
    "Media",
    "Education",
    "Energy",
    "Telecommunications",
    "Technology",
]
PRODUCTS = [
    "Colocation",
    "Metro Connect",
    "Cloud Onramp",
    "Edge Pods",
    "Managed Security",
    "Backup Vault",
    "Bare Metal",
    "Private Cloud",
    "Remote Hands",
    "Power Plus",
    "Disaster Recovery",
    "Interconnect Exchange",
]
TAGS = [
    "tco",
    "pricing",
    "sla",
    "sustainability",
    "migration",
    "security",
    "compliance",
    "hipaa",
    "pci",
    "ai workloads",
    "gpu",
    "edge",
    "latency",
    "dr",
    "backup",
    "power",
    "cooling",
    "facilities",
    "competitive",
    "battlecard",
    "q1 campaign",
    "q2 campaign",
    "q3 campaign",
    "q4 campaign",
    "webinar",
    "analyst report",
    "roi calculator",
    "customer story",
    "partner",
    "channel",
    "renewal",
    "upsell",
    "onboarding kit",
    "checklist",
    "faq",
    "executive brief",
    "technical brief",
    "emea",
    "apac",
    "north america",
]

_ADVERB_ENDINGS = (
    "al",
    "ive",
    "ent",
    "ant",
    "ous",
    "ic",
    "ful",
    "ble",
    "ate",
    "ar",
    "ect",
    "ete",
    "ise",
    "ear",
    "ight",
    "ick",
    "ong",
    "ict",
    "ual",
    "ain",
    "ure",
    "ep",
    "id",
    "ly",
)
# Verbs that also take "re-", as in "redeploy".
RE_VERBS = """
allocate apply assess assign balance build calculate certify commission configure connect
consider deploy design direct distribute evaluate examine figure fill fresh imagine install
invent launch locate negotiate open organize package position price provision route run
scale schedule seal start state store structure submit think train transmit validate write
""".split()
# Adjectives that also take "un-", as in "unplanned".
UN_ADJECTIVES = """
available certain clear common equal expected familiar fair healthy likely limited
necessary official planned predictable productive proven realistic reasonable reliable
responsive secure stable structured successful sustainable usual
""".split()

_SYLLABLES = (
    "bar cor dal el fen gra hal is jor kel lum mar nor ov pel quin ros sol tar ul "
    "ven wex yor zan ard bel cas dor ev fal gor hen ith jas kor lin mir nex oth "
    "pra rin sen tov ur vel wyn xan yel zor"
).split()
_ENDINGS = ("a ex ia on is ar ix um en ane ity ora").split()


def _plural(word: str) -> str:
    if word.endswith(("s", "x", "z", "ch", "sh")):
        return word + "es"
    if word.endswith("y") and word[-2:-1] not in "aeiou":
        return word[:-1] + "ies"
    return word + "s"


def _past(word: str) -> str:
    if word.endswith("e"):
        return word + "d"
    if word.endswith("y") and word[-2:-1] not in "aeiou":
        return word[:-1] + "ied"
    return word + "ed"


def _gerund(word: str, past: str) -> str:
    if len(past) > 4 and past.endswith("ed") and past[-3] == past[-4] == word[-1]:
        return past[:-2] + "ing"  # planned -> planning
    if word.endswith("e") and not word.endswith(("ee", "ye")):
        return word[:-1] + "ing"
    return word + "ing"


def _adverb(word: str) -> str:
    if word == "public":
        return "publicly"
    if word.endswith("ic"):
        return word + "ally"
    if word.endswith("le") and len(word) > 4:
        return word[:-1] + "y"
    if word.endswith("y"):
        return word[:-1] + "ily"
    return word + "ly"


def verb_forms(spec: str) -> list[str]:
    word, _, past = spec.partition(":")
    past = past or _past(word)
    return [word, _plural(word), past, _gerund(word, past)]


def noun_forms(word: str) -> list[str]:
    return [word, _plural(word)]


def adjective_forms(word: str) -> list[str]:
    if word.endswith(_ADVERB_ENDINGS):
        return [word, _adverb(word)]
    return [word]


def proper_names(count: int, seed: int) -> list[str]:
    """Invented customer and place names: real-looking, rare words for the rare-word queries."""
    rng = random.Random(seed)
    names: dict[str, None] = {}
    while len(names) < count:
        parts = rng.choice((1, 2, 2, 3))
        name = "".join(rng.choice(_SYLLABLES) for _ in range(parts)) + rng.choice(_ENDINGS)
        names.setdefault(name.capitalize())
    return list(names)
