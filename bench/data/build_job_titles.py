#!/usr/bin/env python3
"""Rebuild bench/data/job_titles.csv from the raw source files in bench/data/raw/.

Usage:  python3 bench/data/build_job_titles.py [--check]

Inputs (all under bench/data/raw/, see JOB_TITLES.md for provenance/licences):
  onet_sample_of_reported_titles.tsv   O*NET "Sample of Reported Titles" (code, title)
  onet_alternate_titles_subset.tsv     subset of O*NET "Alternate Titles" (code, title)
  onet_occupation_titles.tsv           O*NET "Occupation Data" (code, occupation title)
  find_job_titles_titles_combined.txt.gz  title list shipped in the MIT-licensed
                                       PyPI package find-job-titles 0.7.0

Labels are produced by the written rules in LABEL RULES below (occupation-code
rules for O*NET titles, title rules for every title, then exclusions).  The
script is deterministic: no randomness except a fixed md5-based ordering.
Standard library only.
"""
from __future__ import annotations

import argparse
import csv
import gzip
import hashlib
import re
import sys
from collections import OrderedDict
from pathlib import Path

HERE = Path(__file__).resolve().parent
RAW = HERE / "raw"
OUT = HERE / "job_titles.csv"

FIELDS = [
    "data-science",
    "software-engineering",
    "product-management",
    "ux-design",
    "marketing",
    "investment-banking",
    "accounting",
    "nursing",
    "teaching",
    "law",
    "mechanical-engineering",
    "journalism",
]

SRC_REPORTED = "onet_reported_titles"
SRC_ALT = "onet_alternate_titles"
SRC_FJT = "find_job_titles"

# Size targets (see JOB_TITLES.md "Selection").
ONET_LOOKALIKE_SAMPLE = 700   # weaker O*NET look-alike negatives kept (positives + strong look-alikes are all kept)
ONET_NEG_SAMPLE = 1100        # plain O*NET negatives kept
FJT_POS_CAP = 90              # max find_job_titles positives added per field
FJT_LOOKALIKE_CAP = 35        # max find_job_titles look-alike negatives per field
FJT_RANDOM_NEG = 350          # plain find_job_titles negatives


def key(title: str) -> str:
    return re.sub(r"\s+", " ", title).strip().casefold()


def stable_rank(text: str) -> str:
    return hashlib.md5(text.encode("utf-8")).hexdigest()


def rx(pattern: str) -> re.Pattern:
    return re.compile(pattern, re.IGNORECASE)


# ----------------------------------------------------------------------------
# LABEL RULES
# A field's positives are people an informational interviewer exploring that
# field would want to talk to: practitioners of the field and their managers
# / leaders.  Support, clerical and assistant roles, trainees (interns,
# students, apprentices) and teachers *of* the subject are out (faculty count
# for `teaching` only).
# ----------------------------------------------------------------------------

TRAINEE = rx(r"\b(intern|interns|internship|trainee|apprentice|apprenticeship|co-?op)\b|^student\b|"
             r"\bstudent (worker|assistant|intern|employee|trainee)\b|graduate student")
FACULTY = rx(r"\b(professor|lecturer|instructor|teacher|faculty|tutor|teaching|educator)\b")

# Occupation-code rules: O*NET-SOC code prefixes that make an O*NET title
# positive, minus generic titles listed in CODE_EXCL (casefolded exact match).
CODE_RULES: dict[str, tuple[str, ...]] = {
    "data-science": ("15-2051.00", "15-2051.01", "15-2041", "15-2031"),
    "software-engineering": ("15-1251", "15-1252", "15-1253", "15-1254"),
    "product-management": (),
    "ux-design": ("15-1255.00",),
    "marketing": ("11-2011", "11-2021", "13-1161"),
    "investment-banking": (),
    "accounting": ("13-2011", "13-2082", "11-3031.01"),
    "nursing": ("29-1141", "29-1151", "29-1161", "29-1171", "29-2061"),
    "teaching": ("25-1", "25-2", "25-3011", "25-3021", "25-3041", "11-9032"),
    "law": ("23-1011", "23-1012", "23-1023"),
    "mechanical-engineering": ("17-2141",),
    "journalism": ("27-3023", "27-3041"),
}

_GENERIC_ENG = {
    "engineer", "design engineer", "project engineer", "process engineer", "product engineer",
    "research engineer", "test engineer", "systems engineer", "system engineer", "reliability engineer",
    "quality engineer", "application engineer", "applications engineer", "automation engineer",
    "field service engineer", "equipment engineer", "supplier quality engineer (sqe)",
    "quality assurance engineer (qa engineer)", "installation engineer", "distribution engineer",
    "erecting engineer", "utilization engineer", "subsystems engineer", "systems integration engineer",
    "infrastructure engineer", "server engineer", "technical support engineer", "solutions engineer",
}

CODE_EXCL: dict[str, set[str]] = {
    "data-science": {
        "analyst", "researcher", "research scientist", "research analyst", "research specialist",
        "research technician", "strategist", "business analyst", "business consultant",
        "business process analyst", "business systems analyst", "business systems consultant",
        "business technology consultant", "business database analyst", "information analyst",
        "information specialist", "intelligence analyst", "competitive intelligence analyst",
        "market intelligence analyst", "market intelligence consultant",
        "strategic business and technology intelligence consultant",
        "edi analyst (electronic data exchange analyst)", "salesforce developer",
        "sap business analyst", "sap consultant", "data architect", "data engineer", "data modeler",
        "data quality analyst", "trend investigator", "clinical analyst", "clinical data coordinator",
        "clinical documentation consultant", "data coordinator", "data specialist", "methods analyst",
        "methods specialist", "method consultant", "procedure analyst", "procedure writer",
        "sales operations analyst", "business operations analyst", "operations analyst",
        "operations specialist", "analytical strategist", "technical analyst", "forms analyst",
        "liaison planner", "material liaison", "material requirements worker", "office system analyst",
        "process analyst", "standards analyst", "systems analyst", "systems consultant",
        "data consultant", "database analyst", "education research analyst", "psychometric consultant",
        "demographer", "quantitative methodologist", "strategic business and technology intelligence consultant",
    },
    "software-engineering": _GENERIC_ENG | {
        "network engineer", "networking engineer", "wide area network engineer (wan engineer)",
        "systems analyst", "computer consultant", "implementation specialist", "software installer",
        "quality analyst", "beta tester", "game tester", "bug bounty hunter", "malware analyst",
        "user interface designer", "user interface designer (ui designer)", "interface designer",
        "user experience designer (ux designer)",
        "user interface and user experience designer (ui/ux designer)",
        "user interface and user experience architect (ui/ux architect)", "usability engineer",
        "computer graphic artist", "computer graphic designer", "web designer", "web design specialist",
        "internet site designer", "web site designer", "web producer", "web consultant", "web specialist",
        "web site specialist", "internet specialist", "webmaster", "webmaster analyst", "website manager",
        "websphere administrator", "web technician", "certified ethical hacker", "white hat hacker",
        "cisco certified internetwork expert (ccie)", "cisco certified network professional (ccnp)",
        "certified novell engineer (cne)", "information technology analyst (it analyst)",
        "information technology consultant (it consultant)",
        "it performance analyst (information technology performance analyst)", "applications analyst",
        "applications system analyst", "application integrator", "data modeler", "systems coordinator",
        "technology analyst", "operating systems specialist", "publishing systems analyst",
        "systems software specialist", "software computer specialist", "software applications specialist",
        "internet consultant", "information architect", "enterprise architect", "systems support engineer",
        "secure software assessor", "technology applications engineer", "solution architect",
        "solutions architect", "quality assurance specialist (qa specialist)", "computer language coder",
        "software engineering systems information technology specialist (software engineering systems it specialist)",
        "applications software engineering information technology specialist (applications software engineering it specialist)",
        "software application support specialist", "system testing and evaluation specialist",
        "systems tester", "systems tester analyst", "software requirements engineer",
        "software systems engineer", "knowledge management application developer",
        "web content developer", "applications quality assurance specialist (applications qa specialist)",
        "software application quality assurance specialist (software application qa specialist)",
        "software quality assurance technician (sqa technician)",
        "software quality control specialist (software qc specialist)",
        "systems software quality assurance specialist (systems software qa specialist)",
        "information technology analyst (it analyst)",
    },
    "ux-design": {
        "front end developer", "front end web developer", "html developer (hypertext markup language developer)",
        "php developer (personal home page developer)", "php web developer (personal home page web developer)",
        "php website developer (personal home page website developer)", "react.js developer",
        "internet application developer", "web application developer", "web applications developer",
        "web developer", "web programmer", "web engineer", "web software engineer", "intranet developer",
        "internet developer", "internet architect", "web architect", "technology applications engineer",
        "content manager", "multimedia developer", "web content developer", "web content specialist",
        "web producer", "web consultant", "web specialist", "web site specialist", "internet specialist",
        "webmaster", "webmaster analyst", "website manager", "websphere administrator", "web technician",
        "web site developer", "web page developer", "user interface developer (ui developer)",
        "user interface engineer (ui engineer)", "computer graphic artist", "computer graphic designer",
        "graphics designer",
    },
    "marketing": {
        "business development director", "business development manager", "business development specialist",
        "business developer", "business development executive", "commercial director",
        "commercial lines manager", "channel manager", "category manager", "pricing manager",
        "membership director", "circulation manager", "print traffic manager", "fashion coordinator",
        "product manager", "product line manager (plm)", "product line manager", "account manager",
        "account director", "account specialist", "account supervisor", "client services director",
        "communications director", "communications manager", "creative services director",
        "demographic analyst", "communications specialist", "world trade and maritime division manager",
        "media promoter", "promotions executive producer (promos executive producer)", "account executive",
    },
    "accounting": {
        "compliance analyst", "compliance coordinator", "financial systems analyst", "payroll analyst",
        "quality control auditor", "revenue audit clerk", "asset analyst", "bursar", "medical auditor",
        "inventory auditor", "insurance auditor", "compliance auditor", "city treasurer", "county treasurer",
        "corporate treasurer", "treasurer", "school treasurer", "financial institution treasurer",
        "treasury consultant", "trust officer", "financial officer", "financier", "financial engineer",
        "production controller", "cost controller",
    },
    "nursing": {"preceptor", "psychiatric provider"},
    "teaching": {
        "athletic director", "school administrator", "school superintendent", "special education director",
        "superintendent", "graduate assistant", "graduate fellow", "graduate research assistant",
        "graduate student", "graduate student instructor (gsi)", "graduate teaching assistant (gta)",
        "research assistant (ra)", "teaching assistant (ta)", "teaching fellow",
    },
    "law": {
        "law writer", "legal examiner", "legal researcher", "estate conservator", "judicial assistant",
        "law researcher", "legal clerk", "chancery clerk", "election judge", "ballot processing judge",
        "legal referee", "chancery master", "county ordinary",
    },
    "mechanical-engineering": _GENERIC_ENG | {
        "stress analyst", "customer quality engineer", "automotive quality engineer", "textile engineer",
        "weapons designer", "weapons engineer", "space battery technician", "ventilating expert",
        "dimensional integration engineer", "design cell engineer", "tool designer",
        "machine tool designer", "design maintenance engineer", "test inspection engineer",
        "automotive project engineer", "automotive systems engineer", "automotive power electronics engineer",
        "powertrain control systems engineer", "vehicle controls engineer", "car designer",
        "motorcycle designer", "automotive designer", "fuel-efficient automobile designer",
        "low-emission automobile designer", "diesel retrofit designer", "engine designer",
        "hvac sensor and digital control designer (heating, ventilation and air conditioning sensor and digital control designer)",
    },
    "journalism": {
        "acquisitions editor", "legal editor", "dictionary editor", "index editor", "greeting card editor",
        "book editor", "manuscript editor", "manuscript reader", "medical editor", "technical editor",
        "script editor", "script reader", "story editor", "story reader", "play reader", "continuity editor",
        "continuity reader", "reader", "reviewer", "censor", "program proposals coordinator",
        "scientific publications editor", "make up editor", "advertising editor", "art editor",
        "production editor", "broadcast meteorologist",
    },
}

# Title rules: apply to every title (O*NET and find_job_titles).
TITLE_POS: dict[str, re.Pattern] = {
    "data-science": rx(
        r"data scien|machine learning|\bml (engineer|scientist|researcher)|deep learning|"
        r"\b(ai|artificial intelligence) (engineer|scientist|researcher)|data analyst|data analytics|"
        r"\banalytics\b|statistician|biostatistic|statistical (analyst|scientist|programmer|consultant|engineer)|"
        r"quantitative (analyst|researcher|research analyst)|business intelligence|\bbi (analyst|developer|engineer|manager)|"
        r"data min(ing|er)|decision scien|operations research|predictive model|computer vision|"
        r"natural language processing|\bnlp\b|applied scientist|statistics (manager|director)"
    ),
    "software-engineering": rx(
        r"software (engineer|developer|development|architect|programmer|design engineer|tester|test engineer|quality|engineering)|"
        r"\bprogrammer\b|\bswe\b|\bsde\b|devops|dev ops|site reliability|\bsre\b|full[- ]?stack|"
        r"\b(web|application|applications|app|mobile|ios|android|java|javascript|python|\.net|c\+\+|c#|php|ruby|"
        r"front[- ]?end|back[- ]?end|game|database|sql|ui|salesforce|sharepoint|etl|cloud|embedded|golang|node\.?js|"
        r"react(\.js)?|angular(js)?|linux kernel|kernel|frontend|backend)\b[\w .+#/-]*\b(developer|engineer|programmer)\b|"
        r"machine learning engineer|\bml engineer\b|qa (automation|engineer)|quality assurance (automation )?engineer|"
        r"test automation|automation tester|data engineer|big data engineer|platform engineer|"
        r"(director|vp|vice president|head|manager)\W+(of )?software\b|software engineering (manager|director|supervisor|lead)|"
        r"^developer$|^software\b|\bdeveloper\b"
    ),
    "product-management": rx(
        r"product (manager|managers|owner|management|lead|leader|director|head|strategy director)|"
        r"head of product|chief product officer|"
        r"\b(vp|svp|evp|vice president|director|chief|head)\W+(of )?(new )?products?\b|"
        r"product development (manager|director)|product line manager|"
        r"(manager|director)\W+(new )?product\b"
    ),
    "ux-design": rx(
        r"\bux\b|\bui ?/ ?ux\b|\bui designer|user experience|user interface (designer|architect)|"
        r"interaction designer|interaction design|usability|user research|\bproduct designer\b|"
        r"experience designer|web designer|web site designer|website designer|digital designer|"
        r"interface designer|product design (manager|director|lead)|director of product design"
    ),
    "marketing": rx(
        r"marketing|marketer|\bbrand (manager|director|strategist|marketing|lead|management)|"
        r"\bseo\b|search engine (optimization|marketing)|\bsem\b|growth (marketing|hacker|lead)|"
        r"demand gen|campaign manager|advertising (manager|director|executive|coordinator|account (executive|manager))|"
        r"^(global |group )?cmo$|chief marketing officer|media planner|media buyer|paid search|social media (manager|strategist|specialist|marketing)|"
        r"market research|market researcher|market analyst|advertising (strategist|analyst|specialist|consultant|planner)|brand analyst"
    ),
    "investment-banking": rx(
        r"investment bank|\bm ?& ?a\b|\bm and a\b|mergers (and|&) acquisitions|capital markets|leveraged finance|"
        r"debt capital|equity capital|securities underwrit|investment underwrit|"
        r"corporate finance (associate|analyst|advisor|adviser|director|vice president|manager)|"
        r"\bsyndicat(e|ion)\b|restructuring (analyst|associate|banker|director)|coverage banker|merchant banker|"
        r"(associate|analyst|vice president|vp|director|md|managing director)\W+investment banking|"
        r"equity research|securities(-| )(research )?analyst|stock analyst|bond analyst|fixed income (analyst|trading|sales)|"
        r"\b(equity|equities|bond|corporate bond|municipal bond|securities|securities lending|fixed income|derivatives?|"
        r"hybrid derivatives|fx|forex|foreign[- ]exchange|options?|stock|sales|flow|block|floor|proprietary|investment|"
        r"bank and savings securities|rates|credit) trader|trader, fixed income|\bstructurer\b|"
        r"(fixed interest|foreign[- ]exchange|financial market|securities|money market) dealer|"
        r"vice president, fixed income|fixed income (director|vice president)"
    ),
    "accounting": rx(
        r"accountant|accounting (manager|director|supervisor|officer|analyst|consultant|lead)|\bauditor\b|auditor-in-charge|"
        r"\baudit (associate|senior|manager|partner|director|supervisor|lead)|comptroller|\bcpa\b|"
        r"^(senior |assistant |interim |deputy |chief |global |vice president,? )?(assistant )?(corporate |division(al)? |plant |"
        r"manufacturing plant |group |regional |international |fund |financial |nonprofit financial |city |state |county |"
        r"accountant |accounting )?controller$|financial controller|accountant controller|"
        r"certified public|chief accounting officer|"
        r"tax (accountant|manager|director|senior|associate|advisor|adviser|consultant|preparer|specialist|professional|supervisor)|"
        r"(director|manager|vp|vice president|head)\W+(of )?(income )?(accounting|audit|tax)\b|auditing (manager|director|supervisor)|"
        r"management accounts manager"
    ),
    "nursing": rx(
        r"\bnurse\b|\bnurses\b|\bnursing\b|\brn\b|\blpn\b|\blvn\b|\baprn\b|\barnp\b|\bcrna\b|\bcnm\b|\bfnp\b|\bpmhnp\b"
    ),
    "teaching": rx(
        r"\bteacher\b|\bprofessor\b|\blecturer\b|\bfaculty\b|school principal|vice principal|assistant principal|"
        r"^principal$|\btutor\b|kindergarten teacher|educator, (elementary|secondary|middle)"
    ),
    "law": rx(
        r"attorney|lawyer|\bcounsel\b|counselor at law|barrister|solicitor|\bjudge\b|\bjustice\b|magistrate|"
        r"\blaw clerk\b|judicial clerk|public defender|prosecutor|\besq\b|legal (advisor|adviser|counsel)"
    ),
    "mechanical-engineering": rx(
        r"\bmechanical[- ](engineer|engineers|design engineer|design[- ]engineer|systems engineer|project engineer|research engineer|development engineer)|"
        r"mechanical engineering (manager|director|lead|supervisor|head)|"
        r"(director|manager|head|vp|vice president)\W+(of )?mechanical engineering|\bmech(\.|anical)? eng\b|"
        r"hvac (design )?(mechanical )?engineer|electro-?mechanical engineer"
    ),
    "journalism": rx(
        r"journalist|journalism|\breporter\b|correspondent|\bnews\b|\beditor\b|columnist|photojournalist|"
        r"^anchor$|anchor(man|woman|person)|\b(news|sports|weather|television|tv|radio|weekend|morning|evening)\b.*\banchor\b|"
        r"newscaster|copy editor|editor-in-chief|editor in chief|managing editor|editorial director|"
        r"news(paper)? photographer|news videographer"
    ),
}

# Title exclusions: a title matching these is 0 for the field whatever the rules above say.
TITLE_NEG: dict[str, re.Pattern] = {
    "data-science": rx(
        r"data entry|data (capture|transcriber|collection)|database admin|\bdba\b|data center|"
        r"analytics (sales|intern)|marketing analytics specialist\b(?!.)"
    ),
    "software-engineering": rx(
        r"software (installer|sales|trainer|support|specialist|consultant|licens|account|product manager|testing specialist)|"
        r"(business|real estate|land|product|film|photo|property|leadership|talent|workforce|organi[sz]ation(al)?|"
        r"curriculum|course|training|content|fund|resource|community|program|housing|economic|web content|information|"
        r"multimedia|bi|business intelligence|analytics|data visualization|tableau|cognos|microstrategy|ssas|"
        r"sap bi|sap bw bi|ms bi|microsoft bi|oracle business intelligence|sas bi|lead bi|senior bi|"
        r"market|marketing|new business|site|project|physical|x-ray|lab|laboratory|campaign|slide|open|visual|"
        r"negative|print|plate|color|colour) developer|developer operator|"
        r"cnc programmer|computer numerical control programmer|cad cam programmer|"
        r"linux (administrator|network administrator|solaris administrator)|game tester|"
        r"(ui|ux|user interface|user experience) designer|web designer|\bcoder\b|numerical (control|tool)|mastercam|\bcnc\b|"
        r"process control programmer|\bplc programmer|^(senior |lead |principal |associate )?applications? engineer$|"
        r"automation application engineer|robotics application engineer|technology applications engineer|"
        r"^supplier quality engineer|^quality assurance engineer$|^software (publisher|administrator)$"
    ),
    "product-management": rx(
        r"product marketing|product safety|production|product support|product quality|product sales|"
        r"product design|product specialist|product demonstrator|product ambassador|products engineer|"
        r"credit products|raw products|ground products|special products|product liability|product communications|"
        r"product introduction|products? engineer|product development (engineer|scientist|chemist|carpenter|actuary|associate)"
    ),
    "ux-design": rx(r"graphic|game designer|level designer|world designer|interior|fashion|floral|landscape"),
    "marketing": rx(
        r"telemarket|marketing (professor|instructor|teacher|intern)|technical marketing engineer|"
        r"in-store marketing|athlete marketing agent|^marketing representative$|multi-level marketing|"
        r"marketing database analyst|marketing clerk|secretary|power marketer|remarketing|\(cmo\)"
    ),
    "investment-banking": rx(r"attorney|lawyer|counsel|paralegal|clerk|assistant|secretary|recruit|teller|settlement|"
                              r"energy|electricity|natural gas|hog|renewable|commodit|day trader|online trader|"
                              r"independent trader|real time trader|private equity|portfolio manager"),
    "accounting": rx(
        r"accounting (clerk|assistant|associate|technician|specialist|instructor|professor|teacher|tutor)|"
        r"accounts[- ](payable|receivable)s?[- ](clerk|specialist|supervisor|manager|assistant|representative|technician)|"
        r"bookkeep|payroll|"
        r"(quality|qa|energy|night|inventory|safety|code|medical|insurance|compliance|loan|claims?|freight|food|traffic|"
        r"process|environmental|records|hotel|linen|revenue audit|pollution|clinical|clinical appeals|loss prevention|"
        r"night-clerk|skills|recovery|appeals|commission|nurse|site|charge|premium|quality assurance) auditor|"
        r"auditor/quality|appraiser, auditor|attorney|lawyer|helper|"
        r"traffic controller|air traffic|production controller|gas controller|professional controller|"
        r"inventory controller|flight controller|\bcontrols?\b|stock controller|credit controller|"
        r"tax (examiner|collector|clerk|compliance officer|appraiser|assessor|map)|accounting (intern|student)"
    ),
    "nursing": rx(
        r"nurs(e|es|ing)'? ?(aide|aides|assistant|assistants|attendant|technician)|nurses' aide|"
        r"\bcna\b|certified nurses? aide|veterinary nurse|vet nurse|christian science nurse|nursery|"
        r"nursing home administrator|nursing (professor|instructor|teacher)|nurse educator\b(?=.*professor)|"
        r"wet nurse|sitter|assistants|scheduler|registrar|skilled nursing facility|association|school of nursing|nursing school"
    ),
    "teaching": rx(
        r"teacher'?s? (aide|assistant)|teaching assistant|teacher assistant|\bta \(|graduate (assistant|student|fellow)|"
        r"teaching fellow|student teacher|substitute teacher aide|assistant teacher|helper teacher|\baide\b|"
        r"teacher selection|physician|graduate teacher education"
    ),
    "law": rx(
        r"paralegal|legal (secretary|assistant|administrative|aide|clerk|analyst|technician|processing|office|"
        r"practice|coordinator|management|administrator|editor|instruments)|court (clerk|reporter|officer|interpreter|monitor|recorder)|"
        r"law (professor|instructor|teacher|enforcement|librarian)|"
        r"(election|ballot|diving|dressage|horse show|equestrian events|paddock|patrol|placing|livestock|dog show|"
        r"sports activities foul|contest|beauty|poultry|wine|flower|show) judge|membership solicitor|"
        r"judge'?s? (secretary|assistant)|justice (studies|professor)|criminal justice (professor|instructor|teacher|"
        r"specialist|officer|technician|coordinator)|juvenile justice|"
        r"(victim|case|child|family|financial|camp|career|guidance|school|vocational|mental health|substance|"
        r"drug|alcohol|addictions|rehabilitation|admissions|academic|bereavement|genetic|pastoral|loan|credit|"
        r"debt|housing|travel|employment|marriage|beauty|appliance|grief|crisis) counsel|"
        r"(?<!corporate )(?<!general )counselor(?! at law)|(freight|subscription|passenger|telephone|membership|advertising|sales|door|charity|"
        r"fund|donation|insurance|route|newspaper) solicitor|assistant to|executive assistant|secretary|"
        r"magistrate assistant|judge clerk"
    ),
    "mechanical-engineering": rx(
        r"mechanical (engineering )?(technician|technologist|designer|drafter|draftsman|assembler|insulator|inspector)|"
        r"professor|instructor|teacher|lecturer|faculty|technician|technologist|drafter|draftsman|draftsperson|\bco-?op\b"
    ),
    "journalism": rx(
        r"court reporter|shorthand reporter|deposition reporter|realtime court|digital court reporter|"
        r"hearings reporter|judicial reporter|(video|film|tape|sound|non-linear|online|news video|videotape|"
        r"news videotape|television news video) editor|technical editor|script editor|story editor|"
        r"acquisitions editor|legal editor|dictionary editor|index editor|greeting card editor|book editor|"
        r"manuscript editor|medical editor|production editor|design editor|editorial assistant|"
        r"newspaper[- ](delivery|carrier|inserter|press|vendor)|news (vendor|dealer|carrier|agent)|newsstand|"
        r"newsprint|wire-photo|news technical director|technical director|anchor (bolt|installer)|"
        r"\bnews(letter|room)? (clerk|assistant)|credit reporter|weather observer|"
        r"insurance reporter|morgue|editor of (engineering|dictionary)|\bmap\b|mapping|greeting|script|trailer|news ?reel|"
        r"camera|wire photo|(membership|office|service|claims|credit|customer|collection|bank|sales) correspondent|"
        r"hansard|mercantile|commercial reporter|performance reporter|(clinical|development|industrial|brands?|"
        r"marketing|scientific|publishing|school photograph|order|purchase-request|movie|offline|research|advertising|art|"
        r"communications) editor|anchor (operator|tack)|anchor-tack|acreage|shopping news|clipping|librar|realtime|"
        r"voice writing|\bsound\b|(?<!news )video(?!grapher)|\bbook\b|\bindex\b|continuity|production assistant|gathering technician"
    ),
}

# Generic trainee/faculty exclusions (see rule text above).
def generic_exclusion(field: str, title: str) -> bool:
    if TRAINEE.search(title):
        return True
    if field != "teaching" and FACULTY.search(title):
        # nurse educators and clinical nurse educators are practising nurses
        if field == "nursing" and re.search(r"\bnurse educator\b|clinical nurse educator", title, re.I) \
                and not re.search(r"professor|lecturer|faculty|instructor", title, re.I):
            return False
        return True
    return False


def label(title: str, codes: set[str]) -> dict[str, int]:
    t = title.strip()
    tk = key(t)
    out: dict[str, int] = {}
    for f in FIELDS:
        pos = False
        if any(c.startswith(p) for c in codes for p in CODE_RULES[f]) and tk not in CODE_EXCL.get(f, set()):
            pos = True
        if TITLE_POS[f].search(t):
            pos = True
        if pos and (TITLE_NEG[f].search(t) or generic_exclusion(f, t)):
            pos = False
        out[f] = int(pos)
    # Cross-field consistency rules (documented in JOB_TITLES.md):
    # product managers are not marketing unless the title says marketing.
    if out["product-management"] and not re.search(r"marketing", t, re.I):
        out["marketing"] = 0
    # UX/UI designers are not software engineers.
    if out["ux-design"] and not re.search(r"developer|engineer|programmer", t, re.I):
        out["software-engineering"] = 0
    return out


# Look-alike (hard-negative) patterns: titles that share vocabulary with a
# field but are labelled 0 for it.  Used only for *selection* (so the benchmark
# contains plenty of them); labels always come from label().
LOOKALIKE: dict[str, re.Pattern] = {
    "data-science": rx(r"\bdata\b|scien|statistic|analyst|database|research|model"),
    "software-engineering": rx(r"software|developer|programmer|engineer|computer|\bit\b|technolog|network|systems?|web"),
    "product-management": rx(r"product|project manager|program manager|\bowner\b"),
    "ux-design": rx(r"design|interface|\bui\b|experience|graphic|artist"),
    "marketing": rx(r"market|brand|advertis|media|communications|promot|public relations|sales"),
    "investment-banking": rx(r"invest|bank|financ|securities|capital|broker|trader|equity|fund|portfolio|underwrit"),
    "accounting": rx(r"account|audit|bookkeep|tax|payroll|financ|budget|billing|ledger"),
    "nursing": rx(r"nurs|medical|patient|clinic|health|care|hospital|midwi"),
    "teaching": rx(r"teach|instruct|educat|school|coach|trainer|tutor|train|academ"),
    "law": rx(r"legal|law|court|judge|justice|counsel|paralegal|compliance|clerk|officer"),
    "mechanical-engineering": rx(r"mechanic|engineer|machin|hvac|insulat|drafter|design|automotive"),
    "journalism": rx(r"news|report|editor|writer|correspond|media|broadcast|press|publish|column"),
}


# Strong look-alikes: titles sharing a field's core vocabulary (the hardest
# negatives).  Every O*NET title matching one of these and labelled 0 for that
# field is kept; find_job_titles ones are capped per field.
STRONG_LOOKALIKE: dict[str, re.Pattern] = {
    "data-science": rx(r"\bdata\b|database|statistic|actuar|mathematic|research analyst|business analyst|scien|analytics|quantitative"),
    "software-engineering": rx(r"software|developer|programmer|computer|network|systems? (administrator|analyst|engineer|architect)|"
                               r"\bweb\b|information technology|\bit (specialist|manager|analyst|support|technician)|cyber|hacker|"
                               r"tester|\bqa\b|quality assurance|coder|firmware|hardware engineer"),
    "product-management": rx(r"product|project manager|program manager|scrum|release manager|\bowner\b|business analyst"),
    "ux-design": rx(r"design|graphic|interface|usability|\bexperience\b|illustrat|animat|visual"),
    "marketing": rx(r"market|brand|advertis|\bmedia\b|public relations|communications|promot|\bpr\b|publicist|copywriter|merchandis"),
    "investment-banking": rx(r"invest|\bbank|securities|capital|broker|trader|equity|\bfund\b|portfolio|financial analyst|"
                             r"underwrit|\bfinance\b|wealth|hedge|\bm&a\b|merger|acquisition"),
    "accounting": rx(r"account|audit|bookkeep|\btax\b|payroll|billing|budget|controller|treasur|ledger|financ"),
    "nursing": rx(r"nurs|medical assistant|patient care|caregiver|midwi|\baide\b|physician assistant|\bcna\b|\blpn\b|nursery"),
    "teaching": rx(r"teach|instructor|educat|tutor|\bcoach\b|trainer|principal|librar|professor|curriculum|paraprofessional"),
    "law": rx(r"legal|\blaw\b|court|judge|paralegal|counsel|attorney|justice|compliance|police|bailiff|title examiner|mediator|arbitrat|lobby"),
    "mechanical-engineering": rx(r"mechanic|mechanical|hvac|insulat|drafter|machinist|mechatronic|aerospace engineer|automotive|"
                                 r"engineering technician|manufacturing engineer|industrial engineer|design engineer"),
    "journalism": rx(r"news|report|editor|writer|correspond|broadcast|\bpress\b|publish|column|anchor|\bmedia\b|copy|proofread|photograph"),
}

# Named hard negatives the brief asks for; kept whenever a source contains them.
MUST_INCLUDE = [
    "Science Teacher", "Data Entry Clerk", "Database Administrator (DBA)", "Mechanical Insulator", "Legal Secretary",
    "Nursing Assistant", "Marketing Intern", "Email Marketing Intern", "Truck Driver", "Electrician", "Cook",
    "Line Cook", "Bookkeeper", "Scrum Master", "Project Manager", "Technical Project Manager", "Graphic Designer",
    "Mechanical Designer", "Mechanical Drafter", "Actuary", "Financial Analyst", "Portfolio Manager", "Paralegal",
    "Court Reporter", "Teacher Aide", "Business Analyst", "Air Traffic Controller (ATC)", "Nursery Worker",
    "Private Equity Associate", "Loan Officer", "Bank Teller", "Accounting Clerk", "Software Sales Representative",
]


def read_onet() -> tuple["OrderedDict[str, dict]", dict[str, str]]:
    occ = {}
    with open(RAW / "onet_occupation_titles.tsv", encoding="utf-8") as f:
        next(f)
        for line in f:
            code, title = line.rstrip("\n").split("\t")[:2]
            occ[code] = title
    titles: "OrderedDict[str, dict]" = OrderedDict()
    for fn, src in (("onet_sample_of_reported_titles.tsv", SRC_REPORTED), ("onet_alternate_titles_subset.tsv", SRC_ALT)):
        with open(RAW / fn, encoding="utf-8") as f:
            next(f)
            for line in f:
                code, title = line.rstrip("\n").split("\t")[:2]
                if code not in occ:
                    raise SystemExit(f"{fn}: unknown O*NET-SOC code {code!r}")
                k = key(title)
                rec = titles.setdefault(k, {"title": title.strip(), "codes": set(), "sources": []})
                rec["codes"].add(code)
                if src not in rec["sources"]:
                    rec["sources"].append(src)
    return titles, occ


def read_fjt() -> list[str]:
    with gzip.open(RAW / "find_job_titles_titles_combined.txt.gz", "rt", encoding="utf-8") as f:
        return [l.strip() for l in f if l.strip()]


FJT_OK = re.compile(r"^[A-Za-z][A-Za-z0-9 .,&/'()+#-]{1,78}[A-Za-z0-9).+#]$")


def build() -> list[dict]:
    onet, _occ = read_onet()
    rows: list[dict] = []

    # --- O*NET titles -------------------------------------------------------
    onet_pos, onet_look, onet_neg = [], [], []
    for k, rec in onet.items():
        lab = label(rec["title"], rec["codes"])
        row = {
            "title": rec["title"],
            "source": ";".join(rec["sources"]),
            "occupation": ";".join(sorted(rec["codes"])),
            **lab,
        }
        if any(lab.values()) or rec["title"] in MUST_INCLUDE:
            onet_pos.append(row)
        elif any(STRONG_LOOKALIKE[f].search(rec["title"]) and not lab[f] for f in FIELDS):
            onet_pos.append(row)  # strong look-alike: always kept
        elif any(LOOKALIKE[f].search(rec["title"]) for f in FIELDS):
            onet_look.append(row)
        else:
            onet_neg.append(row)
    onet_look.sort(key=lambda r: stable_rank(r["title"]))
    onet_neg.sort(key=lambda r: stable_rank(r["title"]))
    rows.extend(onet_pos)
    rows.extend(onet_look[:ONET_LOOKALIKE_SAMPLE])
    rows.extend(onet_neg[:ONET_NEG_SAMPLE])
    seen = {key(r["title"]) for r in rows}
    seen_all_onet = set(onet.keys())

    # --- find_job_titles titles ----------------------------------------------
    fjt = []
    for t in read_fjt():
        k = key(t)
        if k in seen_all_onet or not FJT_OK.match(t):
            continue
        fjt.append(t)
    fjt = sorted(set(fjt), key=stable_rank)
    fjt_labels = {t: label(t, set()) for t in fjt}
    chosen: "OrderedDict[str, None]" = OrderedDict()
    for f in FIELDS:
        pos = [t for t in fjt if fjt_labels[t][f]]
        for t in pos[:FJT_POS_CAP]:
            chosen.setdefault(t)
        look = [t for t in fjt if not fjt_labels[t][f] and STRONG_LOOKALIKE[f].search(t)]
        for t in look[:FJT_LOOKALIKE_CAP]:
            chosen.setdefault(t)
    for t in fjt:
        if t in MUST_INCLUDE:
            chosen.setdefault(t)
    plain = [t for t in fjt if t not in chosen and not any(fjt_labels[t].values())]
    for t in plain[:FJT_RANDOM_NEG]:
        chosen.setdefault(t)
    for t in chosen:
        if key(t) in seen:
            continue
        seen.add(key(t))
        rows.append({"title": t, "source": SRC_FJT, "occupation": "", **fjt_labels[t]})

    rows.sort(key=lambda r: (r["source"].split(";")[0], r["title"].casefold()))
    return rows


def write(rows: list[dict], path: Path) -> None:
    with open(path, "w", encoding="utf-8", newline="") as f:
        w = csv.DictWriter(f, fieldnames=["title", "source", "occupation", *FIELDS], lineterminator="\n")
        w.writeheader()
        for r in rows:
            w.writerow(r)


def summary(rows: list[dict]) -> str:
    lines = [f"total titles: {len(rows)}"]
    for f in FIELDS:
        lines.append(f"  {f:24s} {sum(r[f] for r in rows):5d}")
    by_src: dict[str, int] = {}
    for r in rows:
        by_src[r["source"]] = by_src.get(r["source"], 0) + 1
    for s, n in sorted(by_src.items()):
        lines.append(f"  source {s}: {n}")
    lines.append(f"  in no field: {sum(1 for r in rows if not any(r[f] for f in FIELDS))}")
    return "\n".join(lines)


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--check", action="store_true", help="verify job_titles.csv is up to date instead of writing it")
    ap.add_argument("--out", type=Path, default=OUT)
    args = ap.parse_args()
    rows = build()
    if args.check:
        tmp = args.out.with_suffix(".tmp.csv")
        write(rows, tmp)
        same = tmp.read_bytes() == args.out.read_bytes()
        tmp.unlink()
        print("up to date" if same else "job_titles.csv differs from a fresh build")
        return 0 if same else 1
    write(rows, args.out)
    print(summary(rows))
    return 0


if __name__ == "__main__":
    sys.exit(main())
