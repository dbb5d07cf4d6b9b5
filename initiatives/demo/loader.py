"""The demo content and its loader.

Everything here comes from the seed document `work-and-local-economy.txt` (compiled November 2025):
every organisation, initiative, event and figure it names, each figure with its period, area and
cited reference. Descriptions are our own plain-English words; quotes are attributed to whoever said
them. No contact details, addresses, opening times or charity numbers are given in the seed, so none
are set here: editors fill them in later.

`load_demo()` is safe to run again and again. Records are matched on their slug or natural key and
only saved when something differs, so a second run creates no rows and changes no values (not even
`updated_at`).
"""

import datetime
from collections import Counter, defaultdict
from decimal import Decimal

from django.db import models, transaction

from indicators.choices import AreaKind, ComparisonRelation, Polarity, StatedTrend, ValueType
from indicators.models import (
    Area,
    ContextFact,
    DataPoint,
    Indicator,
    IndicatorNeed,
    IndicatorService,
    Source,
    StatedComparison,
)
from initiatives.models import Audience, Need, Organisation, Service, ServiceArea, ServiceKind, ServiceStatus
from initiatives.publishing import PublicationState, Publishable
from initiatives.search.models import Synonym
from initiatives.services import audit_record

# Fixed dates, never today(), so that a rerun changes nothing.
LAST_VERIFIED_ON = datetime.date(2025, 11, 30)
REVIEW_DUE_ON = datetime.date(2026, 5, 30)
AUDIT_ACTION = "load_demo"

PUBLISHED = PublicationState.PUBLISHED

# --------------------------------------------------------------------------------------------------
# Needs: a tree. Each entry: slug, name, parent slug, position among its siblings, question, description.
# --------------------------------------------------------------------------------------------------
NEEDS = [
    {
        "slug": "find-work",
        "name": "Find work",
        "parent": None,
        "position": 1,
        "question": "I want to find a job",
        "description": "Help to look for a job, get ready for work and move into work.",
    },
    {
        "slug": "confidence-and-motivation",
        "name": "Confidence and motivation",
        "parent": "find-work",
        "position": 1,
        "question": "I want to feel more confident about working",
        "description": (
            "Help to feel more sure of yourself, get motivated and take the first steps towards work."
        ),
    },
    {
        "slug": "digital-skills",
        "name": "Digital skills",
        "parent": "find-work",
        "position": 2,
        "question": "I want to get better with computers",
        "description": (
            "Help to use computers, phones and the internet, including applying for jobs online "
            "and using AI tools well."
        ),
    },
    {
        "slug": "job-applications",
        "name": "Job applications and CVs",
        "parent": "find-work",
        "position": 3,
        "question": "I need help with my CV or a job interview",
        "description": "Help to write a CV, fill in application forms and get ready for interviews.",
    },
    {
        "slug": "tech-and-stem-careers",
        "name": "Careers in tech and science",
        "parent": "find-work",
        "position": 4,
        "question": "I want a career in tech or science",
        "description": (
            "Find out about jobs in science, technology, engineering and maths (STEM), "
            "and how to get into them."
        ),
    },
    {
        "slug": "start-a-business",
        "name": "Start or grow a business",
        "parent": None,
        "position": 2,
        "question": "I want to start my own business",
        "description": "Help to start a business, try out an idea or help your business grow.",
    },
    {
        "slug": "money",
        "name": "Money and the cost of living",
        "parent": None,
        "position": 3,
        "question": "I am struggling with money",
        "description": "Help when money is tight, including when your wages do not cover the cost of living.",
    },
    {
        "slug": "visa-and-work-rights",
        "name": "Visa and work rights",
        "parent": None,
        "position": 4,
        "question": "I need help with my visa or my right to work",
        "description": "Help with your visa, your right to work in the UK and your rights at work.",
    },
    {
        "slug": "safety-from-exploitation",
        "name": "Safety from exploitation",
        "parent": None,
        "position": 5,
        "question": "I do not feel safe with my employer",
        "description": (
            "Help if an employer is controlling you, treating you very badly or making you work "
            "against your will. This is sometimes called modern slavery."
        ),
    },
    {
        "slug": "feeling-isolated",
        "name": "Feeling less alone",
        "parent": None,
        "position": 6,
        "question": "I feel lonely or cut off",
        "description": "Support to meet people, feel part of things and feel less alone.",
    },
    {
        "slug": "general-advice",
        "name": "General advice",
        "parent": None,
        "position": 7,
        "question": "I need advice and do not know where to start",
        "description": (
            "Advice on everyday problems, such as money or work, when you are not sure where to turn."
        ),
    },
]

# --------------------------------------------------------------------------------------------------
# Audiences: slug, name, description (listed in this order).
# --------------------------------------------------------------------------------------------------
AUDIENCES = [
    ("people-out-of-work", "People out of work", "People who do not have a job at the moment."),
    (
        "people-in-low-paid-work",
        "People in work on a low income",
        "People who have a job but find their pay does not cover what they need.",
    ),
    ("women", "Women", "Women and girls."),
    (
        "black-and-asian-people",
        "Black, Asian and minority ethnic people",
        "Black and Asian people and people from other minority ethnic groups.",
    ),
    ("care-workers", "Care workers", "People who work, or have worked, in care jobs."),
    (
        "care-providers",
        "Care providers and employers",
        "Care homes, home care agencies and other employers of care workers.",
    ),
    (
        "young-people",
        "Young people and students",
        "Young people, including those at school, college or university.",
    ),
    (
        "business-owners",
        "People starting or running a business",
        "People with a business idea and people who already run a business.",
    ),
]

# --------------------------------------------------------------------------------------------------
# Organisations. Contact details, websites and charity numbers are deliberately left out: the seed
# gives none, and we never invent them.
# --------------------------------------------------------------------------------------------------
ORGANISATIONS = [
    {
        "slug": "works-for-us",
        "name": "Works for Us",
        "parent": None,
        "description": (
            "Works for Us is a charity that helps people in Milton Keynes on their way into work. "
            "It starts with confidence, motivation and feeling less alone, then helps with things like "
            "CVs, interviews and digital skills. It works in partnership with Citizens Advice Milton Keynes. "
            "With funding from Milton Keynes Community Foundation, it is building an online platform so it "
            "can reach more people."
        ),
    },
    {
        "slug": "citizens-advice-milton-keynes",
        "name": "Citizens Advice Milton Keynes",
        "parent": None,
        "description": (
            "Citizens Advice Milton Keynes gives advice to people in the city. It has joined with Works "
            "for Us in a partnership to help people break out of the cycle of poverty and to reach "
            "residents who need help most. Our source calls it the Citizens' Advice Bureau."
        ),
    },
    {
        "slug": "milton-keynes-community-foundation",
        "name": "Milton Keynes Community Foundation",
        "parent": None,
        "description": (
            "Milton Keynes Community Foundation funds community work in the city. It is funding Works for Us "
            "to build an online platform, ran a survey of people in Milton Keynes with Opinium in September "
            "and October 2025, and leads an Open Societal Challenges grant with The Open University to set "
            "up a community innovation hub."
        ),
    },
    {
        "slug": "milton-keynes-city-council",
        "name": "Milton Keynes City Council",
        "parent": None,
        "description": (
            "Milton Keynes City Council is the local council. It supports Get South Midlands Working, a "
            "project under the Government's Get Britain Working initiative that helps more people into work."
        ),
    },
    {
        "slug": "career-connect",
        "name": "Career Connect",
        "parent": None,
        "description": (
            "Career Connect runs a leadership award and networking for women. MK Innovates, which runs a "
            "STEM festival in Milton Keynes, is part of Career Connect."
        ),
    },
    {
        "slug": "mk-innovates",
        "name": "MK Innovates",
        "parent": "career-connect",
        "description": (
            "MK Innovates is part of Career Connect. It runs a STEM festival to help more people, especially "
            "people from groups who are often left out, picture themselves in jobs in science, technology, "
            "engineering and maths. Its festival lead is Dr Susan Izadkhasti, a trustee of Women Leaders UK."
        ),
    },
    {
        "slug": "the-open-university",
        "name": "The Open University",
        "parent": None,
        "description": (
            "The Open University is a university. Its researchers wrote the Hidden Toil report about living "
            "on a low income in a new housing area of Milton Keynes. It works with Milton Keynes Community "
            "Foundation on the Prototyping Community Innovation Hubs project."
        ),
    },
    {
        "slug": "tech-week-milton-keynes",
        "name": "Tech Week Milton Keynes",
        "parent": None,
        "description": (
            "Tech Week is the city's technology week: a celebration of new ideas and technology in Milton "
            "Keynes. In September 2025 it ended with a pitch event for local businesses. Our source does not "
            "name who organises it."
        ),
    },
]

# Partnerships are symmetrical: listing a pair once links both ways.
PARTNERSHIPS = [
    ("works-for-us", "citizens-advice-milton-keynes"),
    ("the-open-university", "milton-keynes-community-foundation"),
]

# --------------------------------------------------------------------------------------------------
# Services, programmes, projects and events. Fields left out take SERVICE_DEFAULTS. Contact fields
# (website, email, phone) are never set by the loader, so an editor's later additions are kept.
# --------------------------------------------------------------------------------------------------
SERVICE_DEFAULTS = {
    "kind": ServiceKind.SERVICE,
    "status": ServiceStatus.ACTIVE,
    "eligibility": "",
    "minimum_age": None,
    "maximum_age": None,
    "in_person": False,
    "by_phone": False,
    "online": False,
    "is_free": False,
    "cost_description": "",
    "access_self_referral": False,
    "access_referral": False,
    "access_drop_in": False,
    "access_booking": False,
    "how_to_access": "",
    "languages": "",
    "accessibility": "",
    "service_area": ServiceArea.BOROUGH,
    "starts_on": None,
    "ends_on": None,
    "dates_note": "",
    "accepts_enquiries": False,
}

SERVICES = [
    {
        "slug": "works-for-us-journey-into-work",
        "organisation": "works-for-us",
        "accepts_enquiries": True,  # Works for Us answers enquiries through the directory
        "name": "Support into work",
        "kind": ServiceKind.SERVICE,
        "status": ServiceStatus.ACTIVE,
        "summary": (
            "Help to build your confidence and motivation and feel less alone, then help with CVs and "
            "interviews, so you can move towards a job."
        ),
        "description": (
            "Works for Us helps people who are out of work take steps towards a job. It looks at the whole "
            "person. It starts with the basics: feeling confident, feeling motivated and not feeling alone. "
            "Once those are in place, it helps with things like CVs and interviews.\n\n"
            "Kelly Murdoch, Team Manager at Works for Us, says the work is “not about building a CV and "
            "interview prep” at first, but about “all those soft skills and that foundation block” that "
            "people need before they can move forward."
        ),
        "needs": ["confidence-and-motivation", "find-work", "feeling-isolated", "job-applications"],
        "audiences": ["people-out-of-work"],
        "in_person": True,
        "access_self_referral": True,
    },
    {
        "slug": "works-for-us-digital-skills",
        "organisation": "works-for-us",
        "accepts_enquiries": True,  # Works for Us answers enquiries through the directory
        "name": "Digital skills for job-seekers",
        "kind": ServiceKind.SERVICE,
        "status": ServiceStatus.ACTIVE,
        "summary": "Help with the computer and online skills you need to look for and apply for jobs today.",
        "description": (
            "Most jobs are now applied for online, and many employers use AI tools to sort applications. "
            "That makes looking for work harder for some people. Some have no device, no internet or no "
            "training. Others use AI tools in ways that hurt their chances.\n\n"
            "Works for Us helps job-seekers with these problems, which it calls “the third wave of digital "
            "exclusion”, so they can take part in a busy and competitive jobs market."
        ),
        "needs": ["digital-skills", "job-applications", "find-work"],
        "audiences": ["people-out-of-work"],
        "in_person": True,
    },
    {
        "slug": "works-for-us-online-platform",
        "organisation": "works-for-us",
        "accepts_enquiries": True,  # Works for Us answers enquiries through the directory
        "name": "Works for Us online support platform",
        "kind": ServiceKind.PROJECT,
        "status": ServiceStatus.PLANNED,
        "summary": "A website Works for Us is building to share resources and give extra support online.",
        "description": (
            "Works for Us is building an online platform. It will share useful resources and give people "
            "extra support, alongside the help Works for Us already gives face to face. Milton Keynes "
            "Community Foundation is funding the work. It is still being built."
        ),
        "needs": ["digital-skills"],
        "audiences": [],
        "online": True,
    },
    {
        "slug": "works-for-us-care-worker-visa-programme",
        "organisation": "works-for-us",
        "accepts_enquiries": True,  # Works for Us answers enquiries through the directory
        "name": "Care Worker Visa Programme",
        "kind": ServiceKind.PROGRAMME,
        "status": ServiceStatus.ACTIVE,
        "summary": (
            "Support for care providers and care workers affected when the Health and Care Worker visa "
            "route closed in July 2025."
        ),
        "description": (
            "In July 2025 the Health and Care Worker visa route closed. About 40,000 people in the UK were "
            "affected. Works for Us runs this specialist programme to support care providers caught up "
            "in the change, and the care workers affected.\n\n"
            "One client came to the programme after suffering modern slavery under a former employer. They "
            "say they felt broken and without hope. Their mentor at Works for Us and her team stood by them "
            "and helped keep them and their family safe."
        ),
        "eligibility": (
            "Care providers and care workers affected by the changes to the Health and Care Worker visa."
        ),
        "needs": ["visa-and-work-rights", "safety-from-exploitation", "find-work"],
        "audiences": ["care-workers", "care-providers"],
    },
    {
        "slug": "citizens-advice-general-advice",
        "organisation": "citizens-advice-milton-keynes",
        "name": "Advice from Citizens Advice",
        "kind": ServiceKind.SERVICE,
        "status": ServiceStatus.ACTIVE,
        "summary": (
            "Advice if you are struggling, from Citizens Advice Milton Keynes working with Works for Us."
        ),
        "description": (
            "Citizens Advice Milton Keynes gives advice to people in the city. It works in partnership with "
            "Works for Us. Together they aim to help people break out of the cycle of poverty, and to reach "
            "residents who need help most, including people in work whose pay does not stretch far enough."
        ),
        "needs": ["general-advice", "money"],
        "audiences": ["people-in-low-paid-work", "people-out-of-work"],
    },
    {
        "slug": "get-south-midlands-working",
        "organisation": "milton-keynes-city-council",
        "name": "Get South Midlands Working",
        "kind": ServiceKind.PROGRAMME,
        "status": ServiceStatus.ACTIVE,
        "summary": (
            "A project supported by Milton Keynes City Council to help more people into work, part of the "
            "Government's Get Britain Working initiative."
        ),
        "description": (
            "Milton Keynes City Council is supporting Get South Midlands Working. It is part of the "
            "Government's Get Britain Working initiative and aims to bring unemployment down by helping "
            "more people into work."
        ),
        "needs": ["find-work"],
        "audiences": ["people-out-of-work"],
    },
    {
        "slug": "mk-innovates-stem-festival-2025",
        "organisation": "mk-innovates",
        "name": "MK Innovates STEM Festival 2025",
        "kind": ServiceKind.EVENT,
        "status": ServiceStatus.ENDED,
        "dates_note": "October 2025",
        "summary": (
            "A festival in October 2025 to help people, especially from groups often left out, see "
            "themselves in science and tech careers."
        ),
        "description": (
            "MK Innovates held a STEM festival in October 2025. STEM means science, technology, engineering "
            "and maths. The festival set out to close the STEM skills gap and help more people picture "
            "themselves working in these jobs.\n\n"
            "Dr Susan Izadkhasti, the festival lead, said: “We are tackling barriers that prevent people – "
            "especially those from underrepresented and disadvantaged groups – from seeing themselves in "
            "these industries.”"
        ),
        "needs": ["tech-and-stem-careers"],
        "audiences": ["women", "young-people"],
        "in_person": True,
    },
    {
        "slug": "career-connect-women-in-leadership",
        "organisation": "career-connect",
        "name": "Women's leadership award and networking",
        "kind": ServiceKind.PROGRAMME,
        "status": ServiceStatus.ACTIVE,
        "summary": "An award and networking to help women grow as leaders in their careers.",
        "description": (
            "Career Connect runs a leadership award and networking for women, to help them meet others and "
            "move on in their careers. It is the organisation behind MK Innovates and its STEM festival."
        ),
        "needs": ["tech-and-stem-careers", "find-work"],
        "audiences": ["women"],
    },
    {
        "slug": "prototyping-community-innovation-hubs",
        "organisation": "the-open-university",
        "name": "Prototyping Community Innovation Hubs",
        "kind": ServiceKind.PROJECT,
        "status": ServiceStatus.ACTIVE,
        "summary": (
            "A project to try out a community innovation hub for Black and Asian-led businesses and other "
            "minority ethnic entrepreneurs."
        ),
        "description": (
            "Black, Asian and other minority ethnic people still face barriers when they set up a business. "
            "This project will try out an innovation hub to support creativity, new businesses and new ideas "
            "in these communities. 20 Black and Asian-led businesses will take part in the trial hub.\n\n"
            "Our source describes the project as led by The Open University. The article it cites says "
            "Milton Keynes Community Foundation leads the Open Societal Challenges grant that launches the "
            "hub. The two organisations work on it together."
        ),
        "eligibility": "Black and Asian-led businesses and other minority ethnic entrepreneurs.",
        "needs": ["start-a-business"],
        "audiences": ["black-and-asian-people", "business-owners"],
    },
    {
        "slug": "tech-week-2025-pitch-event",
        "organisation": "tech-week-milton-keynes",
        "name": "Tech Week 2025 pitch event",
        "kind": ServiceKind.EVENT,
        "status": ServiceStatus.ENDED,
        "dates_note": "September 2025",
        "summary": (
            "A Dragons' Den-style event at Unity Place in September 2025, where 10 local businesses pitched "
            "for a cash prize."
        ),
        "description": (
            "Tech Week, the city's celebration of new ideas and technology, took place in September 2025. "
            "It ended with a Dragons' Den-style event at Unity Place. Ten local businesses pitched ideas "
            "that used new technology to do good in the community, for the chance to win a cash prize."
        ),
        "needs": ["start-a-business", "tech-and-stem-careers"],
        "audiences": ["business-owners"],
        "in_person": True,
    },
]

# --------------------------------------------------------------------------------------------------
# Areas, with their ONS GSS codes.
# --------------------------------------------------------------------------------------------------
AREAS = [
    ("E06000042", "Milton Keynes", AreaKind.LOCAL_AUTHORITY, True),
    ("E12000008", "South East", AreaKind.REGION, False),
    ("E92000001", "England", AreaKind.COUNTRY, False),
    ("K02000001", "United Kingdom", AreaKind.UNITED_KINGDOM, False),
]
MILTON_KEYNES, SOUTH_EAST, ENGLAND, UNITED_KINGDOM = (code for code, *_ in AREAS)

# --------------------------------------------------------------------------------------------------
# Sources: one per reference in the seed, keyed by a short name. References 1 and 2 are the same
# survey, and references 3 and 5 the same report (one Source each: a Source is unique by publisher
# and title). "seed" is the report itself, for figures it gives without a reference.
# --------------------------------------------------------------------------------------------------
OGL = "Open Government Licence v3.0"

SOURCES = {
    "opinium-survey": {  # references 1 and 2
        "publisher": "Milton Keynes Community Foundation and Opinium",
        "title": "MKCF / Opinium Survey",
        "published_label": "September to October 2025",
        "published_on": None,
        "accessed_label": "",
        "licence": "",
        "notes": (
            "References 1 and 2 of the report. Calculations given in the report: 54% of the sample (138 "
            "people) had a job based in Milton Keynes, 12% (31) had a job they do remotely from their home "
            "in Milton Keynes, 10% (25) had a job elsewhere in the UK and 24% (61) were not working. Figures "
            "about work are based on those working in Milton Keynes, in a local job or remotely from home "
            "(169 people)."
        ),
    },
    "cities-outlook-2025": {  # references 3 and 5
        "publisher": "Centre for Cities",
        "title": "Cities Outlook 2025",
        "published_label": "January 2025",
        "published_on": None,
        "accessed_label": "November 2025",
        "licence": "",
        "notes": (
            "References 3 and 5 of the report. For new economy firms (reference 3), the source data are "
            "The Data City (accessed December 2024) and ONS 2024 population estimates, 2022 and 2023 data. "
            "For the start-up rate (reference 5), the report lists as source data ONS 2024 Regional gross "
            "domestic product: local authorities, and ONS 2024 Subregional productivity: labour productivity "
            "indices by local authority district, 2022 data."
        ),
    },
    "population-blog": {  # reference 4
        "publisher": "Centre for Cities",
        "title": "Where population is growing – Milton Keynes, Northampton and Peterborough",
        "published_label": "24 February 2025",
        "published_on": datetime.date(2025, 2, 24),
        "accessed_label": "November 2025",
        "licence": "",
        "notes": (
            "Reference 4 of the report: a Centre for Cities blog post, cited for the weekly earnings ranking."
        ),
    },
    "bbc-robot-cleaners": {  # reference 6
        "publisher": "BBC",
        "title": "Robot street cleaners trialled with new funding",
        "published_label": "22 October 2025",
        "published_on": datetime.date(2025, 10, 22),
        "accessed_label": "November 2025",
        "licence": "",
        "notes": (
            "Reference 6 of the report. The report's text says the trial was announced in October 2024, "
            "but the article it cites is dated 22 October 2025. We keep the article's date."
        ),
    },
    "dwp-2025": {  # reference 7
        "publisher": "Department for Work and Pensions",
        "title": "DWP 2025, accessed via the Local Insight Platform",
        "published_label": "2025",
        "published_on": None,
        "accessed_label": "October 2025",
        "licence": OGL,
        "notes": (
            "Reference 7 of the report, cited only as 'DWP 2025; accessed via Local Insight Platform "
            "October 2025'. The exact dataset is not named."
        ),
    },
    "ons-workless-households": {  # reference 8
        "publisher": "Office for National Statistics",
        "title": "Households by combined economic activity status of household members by local authority",
        "published_label": "30 July 2025",
        "published_on": datetime.date(2025, 7, 30),
        "accessed_label": "November 2025",
        "licence": OGL,
        "notes": (
            "Reference 8 of the report. The report's text gives the workless households figure for July "
            "2024, but this ONS release is dated 30 July 2025. We keep the release's date."
        ),
    },
    "hidden-toil": {  # reference 9
        "publisher": "The Open University",
        "title": (
            "Hidden Toil Behind Shiny Fronts: experiences of living in a new housing area with little income"
        ),
        "published_label": "July 2025",
        "published_on": None,
        "accessed_label": "",
        "licence": "",
        "notes": (
            "Reference 9 of the report. Authors: Keetie Roelen and others. The report quotes it on how "
            "limited chances to earn a good income stop residents making full use of the city."
        ),
    },
    "sky-news-earnings": {  # reference 10
        "publisher": "Sky News",
        "title": (
            "'It shouldn't be like this': Full-time workers relying on food handouts "
            "amid cost of living crisis"
        ),
        "published_label": "11 August 2025",
        "published_on": datetime.date(2025, 8, 11),
        "accessed_label": "November 2025",
        "licence": "",
        "notes": (
            "Reference 10 of the report. Source data: Sky News analysis of ONS Annual Survey of Hours and "
            "Earnings (ASHE) data. Average annual earnings means median gross income."
        ),
    },
    "women-leaders-mk-innovates": {  # reference 11
        "publisher": "Women Leaders UK",
        "title": "MK Innovates Returns to Bridge the STEM Skills Gap and Inspire Future Innovators",
        "published_label": "",
        "published_on": None,
        "accessed_label": "November 2025",
        "licence": "",
        "notes": "Reference 11 of the report. No publication date is given.",
    },
    "ou-innovation-hub": {  # reference 12
        "publisher": "The Open University",
        "title": (
            "MK Community Foundation leads Open Societal Challenges grant to launch community innovation hub"
        ),
        "published_label": "",
        "published_on": None,
        "accessed_label": "November 2025",
        "licence": "",
        "notes": (
            "Reference 12 of the report. The report's text calls Prototyping Community Innovation Hubs an "
            "OU-led project, while this article's title says Milton Keynes Community Foundation leads the "
            "Open Societal Challenges grant."
        ),
    },
    "seed": {  # the report itself, for figures it states without a reference
        "publisher": "Milton Keynes Community Foundation",
        "title": "Work and Local Economy",
        "published_label": "",
        "published_on": None,
        "accessed_label": "",
        "licence": "",
        "notes": (
            "No reference is given for this figure in the report. Used for the figures it states without "
            "a reference: around 40,000 people affected by the care worker visa change, and the 10 "
            "businesses that pitched at Tech Week 2025."
        ),
    },
}

# --------------------------------------------------------------------------------------------------
# Indicators, each with its data points (area code, period, value or rank), stated comparisons and
# links to needs and services.
# --------------------------------------------------------------------------------------------------
AUGUST_2025 = ("August 2025", datetime.date(2025, 8, 1), datetime.date(2025, 8, 31))
JULY_2025 = ("July 2025", datetime.date(2025, 7, 1), datetime.date(2025, 7, 31))
YEARS_2021_TO_2024 = ("2021 to 2024", datetime.date(2021, 1, 1), datetime.date(2024, 12, 31))
SURVEY_AUTUMN_2025 = ("September to October 2025", datetime.date(2025, 9, 1), datetime.date(2025, 10, 31))
YEAR_2024 = ("2024", datetime.date(2024, 1, 1), datetime.date(2024, 12, 31))
CITIES_OUTLOOK_2022_2023 = ("Cities Outlook 2025", datetime.date(2022, 1, 1), datetime.date(2023, 12, 31))
CITIES_OUTLOOK_2022 = ("Cities Outlook 2025", datetime.date(2022, 1, 1), datetime.date(2022, 12, 31))

INDICATOR_DEFAULTS = {"frequency": "", "caveats": "", "headline_position": None, "rank_scope": ""}
DATA_POINT_DEFAULTS = {
    "value": None,
    "lower_limit": None,
    "upper_limit": None,
    "sample_size": None,
    "rank": None,
    "rank_out_of": None,
    "stated_trend": "",
    "status_note": "",
    "comparisons": [],
}

INDICATORS = [
    {
        "slug": "unemployment-rate",
        "title": "Unemployment rate",
        "definition": (
            "The percentage of people in Milton Keynes who are unemployed, from Department for Work and "
            "Pensions (DWP) data."
        ),
        "why_it_matters": (
            "Being out of work affects people's money, health and confidence. This figure shows how many "
            "people in the city may need help to find a job."
        ),
        "value_type": ValueType.PERCENTAGE,
        "unit": "%",
        "decimal_places": 2,
        "polarity": Polarity.LOWER_IS_BETTER,
        "source": "dwp-2025",
        "caveats": (
            "Our source cites 'DWP 2025' through the Local Insight Platform and does not name the exact "
            "measure."
        ),
        "headline_position": 1,
        "data_points": [
            {
                "area": MILTON_KEYNES,
                "period": AUGUST_2025,
                "value": Decimal("4.34"),
                "stated_trend": StatedTrend.INCREASED,
                "status_note": (
                    "The report says unemployment increased to 4.34% in August 2025, but does not give the "
                    "earlier figure. It says this is lower than the England average and higher than the "
                    "South East, without giving their figures."
                ),
                "comparisons": [
                    (ENGLAND, ComparisonRelation.LOWER, "the England average"),
                    (SOUTH_EAST, ComparisonRelation.HIGHER, "the South East"),
                ],
            },
        ],
        "needs": [
            ("find-work", "People out of work may need help to find a job."),
            (
                "confidence-and-motivation",
                "Confidence and motivation are often the first step back into work.",
            ),
        ],
        "services": [
            (
                "works-for-us-journey-into-work",
                "Helps people out of work build confidence and move towards a job.",
            ),
            ("get-south-midlands-working", "A council-backed project to bring unemployment down."),
        ],
    },
    {
        "slug": "workless-households",
        "title": "Workless households",
        "definition": "The number of households in Milton Keynes where no adult is in work.",
        "why_it_matters": (
            "When nobody in a home has a job, money is usually tight, and everyone in the household can "
            "find it harder to get into work."
        ),
        "value_type": ValueType.COUNT,
        "unit": "households",
        "decimal_places": 0,
        "polarity": Polarity.LOWER_IS_BETTER,
        "source": "ons-workless-households",
        "headline_position": 2,
        "data_points": [
            {
                "area": MILTON_KEYNES,
                "period": JULY_2025,
                "value": Decimal("8000"),
                "stated_trend": StatedTrend.DECREASED,
                "status_note": (
                    "The report's text gives this figure for July 2024, but the ONS release it cites is "
                    "dated 30 July 2025, so we show July 2025. The report says the number has decreased "
                    "since last year, without giving the earlier figure."
                ),
            },
        ],
        "needs": [
            ("find-work", "Households where nobody works may need help getting someone into a job."),
            ("money", "Households with no one in work are often short of money."),
        ],
        "services": [
            ("get-south-midlands-working", "Helps people into work to address worklessness."),
            ("citizens-advice-general-advice", "Advice to help households break the cycle of poverty."),
        ],
    },
    {
        "slug": "earnings-growth-2021-2024",
        "title": "Growth in average annual earnings, 2021 to 2024",
        "definition": (
            "How much median gross annual earnings went up, as a percentage, between 2021 and 2024."
        ),
        "why_it_matters": (
            "If pay rises more slowly than prices, people in work can still struggle. Food banks say more "
            "households where adults are working are asking for help."
        ),
        "value_type": ValueType.CHANGE,
        "unit": "%",
        "decimal_places": 1,
        "polarity": Polarity.HIGHER_IS_BETTER,
        "source": "sky-news-earnings",
        "caveats": (
            "Average means median gross annual earnings. Figures are from Sky News analysis of ONS Annual "
            "Survey of Hours and Earnings (ASHE) data."
        ),
        "headline_position": 3,
        "data_points": [
            {"area": MILTON_KEYNES, "period": YEARS_2021_TO_2024, "value": Decimal("17.6")},
            {"area": UNITED_KINGDOM, "period": YEARS_2021_TO_2024, "value": Decimal("21.6")},
        ],
        "needs": [
            ("money", "Pay rising slower than the UK average makes the cost of living harder to meet."),
            ("find-work", "Pay matters: people need jobs that pay enough to enjoy life in the city."),
        ],
        "services": [
            (
                "citizens-advice-general-advice",
                "Advice for people in work whose pay does not stretch far enough.",
            ),
        ],
    },
    {
        "slug": "confidence-in-skills",
        "title": "People who believe they have the right skills to get a good job",
        "definition": (
            "The percentage of people surveyed in Milton Keynes who believe they have the right skills to "
            "get a good job in the city."
        ),
        "why_it_matters": (
            "People who feel they lack the right skills, such as digital skills, may miss out on better-paid "
            "work in a fast-changing city."
        ),
        "value_type": ValueType.SURVEY_PROPORTION,
        "unit": "%",
        "decimal_places": 0,
        "polarity": Polarity.HIGHER_IS_BETTER,
        "source": "opinium-survey",
        "caveats": "From the MKCF / Opinium survey, September to October 2025.",
        "headline_position": 4,
        "data_points": [
            {
                "area": MILTON_KEYNES,
                "period": SURVEY_AUTUMN_2025,
                "value": Decimal("76"),
                "status_note": "The report does not say how many people answered this question.",
            },
        ],
        "needs": [
            ("digital-skills", "Digital skills are a growing part of having the right skills for work."),
            ("confidence-and-motivation", "Believing in your own skills helps you apply for good jobs."),
        ],
        "services": [
            (
                "works-for-us-digital-skills",
                "Helps job-seekers build the digital skills employers now expect.",
            ),
            ("works-for-us-journey-into-work", "Builds the confidence and soft skills people need for work."),
        ],
    },
    {
        "slug": "job-enjoyment",
        "title": "Workers who enjoy the type of job they do all or most of the time",
        "definition": (
            "Of people who work in Milton Keynes, the percentage who enjoy the type of job they do all or "
            "most of the time."
        ),
        "why_it_matters": "Good work is about more than having a job: it should be work people can enjoy.",
        "value_type": ValueType.SURVEY_PROPORTION,
        "unit": "%",
        "decimal_places": 0,
        "polarity": Polarity.HIGHER_IS_BETTER,
        "source": "opinium-survey",
        "caveats": (
            "From the MKCF / Opinium survey, September to October 2025. Based on people who work in Milton "
            "Keynes: those with a job based in the city and those who work remotely from home in the city."
        ),
        "data_points": [
            {
                "area": MILTON_KEYNES,
                "period": SURVEY_AUTUMN_2025,
                "value": Decimal("66"),
                "sample_size": 169,
                "status_note": (
                    "Based on 169 people: 138 with a job based in Milton Keynes and 31 who work remotely "
                    "from their home in Milton Keynes, from the report's calculations."
                ),
            },
        ],
        "needs": [("find-work", "Finding work that people enjoy, not just any job.")],
        "services": [],
    },
    {
        "slug": "new-economy-firms-rank",
        "title": "Rank for number of new economy firms",
        "definition": (
            "Where Milton Keynes ranks in the UK for 'new economy firms'. These are businesses in new, "
            "knowledge-based areas of work that use the very latest technology. A rank of 1 is the highest."
        ),
        "why_it_matters": (
            "More of these firms can mean more skilled, well-paid jobs in the city, but only for people who "
            "get the chance to gain the skills they need."
        ),
        "value_type": ValueType.RANK,
        "unit": "",
        "decimal_places": 0,
        "polarity": Polarity.HIGHER_IS_BETTER,
        "source": "cities-outlook-2025",
        "caveats": (
            "Source data: The Data City and ONS population estimates, 2022 and 2023 data. The report does "
            "not say how many places were ranked. Because population figures are used, the ranking may take "
            "the size of each place into account."
        ),
        "data_points": [
            {
                "area": MILTON_KEYNES,
                "period": CITIES_OUTLOOK_2022_2023,
                "rank": 4,
                "status_note": "Fourth in the UK. The report does not say how many places were ranked.",
            },
        ],
        "needs": [
            ("tech-and-stem-careers", "A growing tech sector means more jobs in tech and science."),
            ("start-a-business", "The city is a place where new technology businesses start and grow."),
        ],
        "services": [
            ("mk-innovates-stem-festival-2025", "Helps more people see themselves in tech and science jobs."),
            (
                "prototyping-community-innovation-hubs",
                "Supports new ideas and businesses in minority ethnic communities.",
            ),
        ],
    },
    {
        "slug": "weekly-earnings-rank",
        "title": "Rank among cities for average weekly earnings",
        "definition": (
            "Where Milton Keynes ranks among UK cities for average weekly earnings. "
            "A rank of 1 is the highest."
        ),
        "why_it_matters": (
            "Pay in the city is among the highest in the UK, but it is rising more slowly than the UK "
            "average, and not everyone shares in it."
        ),
        "value_type": ValueType.RANK,
        "unit": "",
        "decimal_places": 0,
        "rank_scope": "UK cities",  # the definition: "ranks among UK cities"
        "polarity": Polarity.HIGHER_IS_BETTER,
        "source": "population-blog",
        "caveats": "The report does not say how many cities were ranked.",
        "data_points": [
            {
                "area": MILTON_KEYNES,
                "period": YEAR_2024,
                "rank": 8,
                "status_note": (
                    "Eighth, in the top ten cities. The report does not say how many cities were ranked."
                ),
            },
        ],
        "needs": [("money", "Higher average pay does not reach everyone in the city.")],
        "services": [],
    },
    {
        "slug": "start-up-rate-rank",
        "title": "Rank among cities for business start-up rate",
        "definition": (
            "Where Milton Keynes ranks among UK cities for the rate at which new businesses start. A rank "
            "of 1 is the highest."
        ),
        "why_it_matters": (
            "Many people in the city start businesses. Support can help more kinds of people, including "
            "those who face barriers, to do the same."
        ),
        "value_type": ValueType.RANK,
        "unit": "",
        "decimal_places": 0,
        "rank_scope": "UK cities",  # the definition: "ranks among UK cities"
        "polarity": Polarity.HIGHER_IS_BETTER,
        "source": "cities-outlook-2025",
        "caveats": "The report does not say how many cities were ranked.",
        "data_points": [
            {
                "area": MILTON_KEYNES,
                "period": CITIES_OUTLOOK_2022,
                "rank": 3,
                "status_note": (
                    "Third, just behind Slough and London. The report's reference gives 2022 data as its "
                    "source data."
                ),
            },
        ],
        "needs": [("start-a-business", "Lots of people start businesses here; support helps more of them.")],
        "services": [
            ("prototyping-community-innovation-hubs", "Helps Black and Asian-led businesses start and grow."),
            ("tech-week-2025-pitch-event", "Gave 10 local businesses a chance to pitch for a cash prize."),
        ],
    },
]

# --------------------------------------------------------------------------------------------------
# Context facts: one-off cited figures that are not a time series.
# --------------------------------------------------------------------------------------------------
CONTEXT_FACTS = [
    {
        "slug": "robot-street-cleaner-trial-funding",
        "title": "Government investment in the robot street cleaning trial",
        "value": Decimal("800000"),
        "display_value": "about £800,000",
        "is_approximate": True,
        "date_label": "October 2025",
        "source": "bbc-robot-cleaners",
        "description": (
            "Government money for a trial in Milton Keynes of robots that clean pavements and clear ice "
            "from streets. The city was chosen partly because of its name for innovation. The report's text "
            "says the trial was announced in October 2024, but the BBC article it cites is dated "
            "22 October 2025, so we show October 2025."
        ),
        "needs": ["tech-and-stem-careers"],
        "services": [],
    },
    {
        "slug": "care-workers-affected-by-visa-change",
        "title": "People across the UK affected when the Health and Care Worker visa route closed",
        "value": Decimal("40000"),
        "display_value": "around 40,000",
        "is_approximate": True,
        "date_label": "July 2025",
        "source": "seed",
        "description": (
            "About how many people across the UK were affected when the Health and Care Worker visa route "
            "closed in July 2025. The report gives no reference for this figure."
        ),
        "needs": ["visa-and-work-rights"],
        "services": ["works-for-us-care-worker-visa-programme"],
    },
    {
        "slug": "tech-week-pitching-businesses",
        "title": "Local businesses that pitched at the Tech Week 2025 pitch event",
        "value": Decimal("10"),
        "display_value": "10",
        "is_approximate": False,
        "date_label": "September 2025",
        "source": "seed",
        "description": (
            "Local businesses pitched ideas that joined new technology with doing good in the community, "
            "hoping to win a cash prize. The report gives no reference for this figure."
        ),
        "needs": ["start-a-business"],
        "services": ["tech-week-2025-pitch-event"],
    },
    {
        "slug": "hub-prototype-businesses",
        "title": "Black and Asian-led businesses to take part in the community innovation hub prototype",
        "value": Decimal("20"),
        "display_value": "20",
        "is_approximate": False,
        "date_label": "",
        "source": "ou-innovation-hub",
        "description": (
            "The number of Black and Asian-led businesses that will take part in the trial of a community "
            "innovation hub in Milton Keynes."
        ),
        "needs": ["start-a-business"],
        "services": ["prototyping-community-innovation-hubs"],
    },
]

# --------------------------------------------------------------------------------------------------
# Synonyms: not from the seed, but everyday words residents search with (staff edit them in the admin).
# "cvs" is listed because the English stemmer leaves it apart from "cv".
# --------------------------------------------------------------------------------------------------
SYNONYMS = [
    "job, work, employment, career",
    "cv, cvs, résumé, resume, curriculum vitae",
    "visa, immigration",
    "computer, digital",
    "business, enterprise, self-employed",
]


# ==================================================================================================
# The loader
# ==================================================================================================
CREATED, UPDATED, UNCHANGED = "created", "updated", "unchanged"


class _Tally:
    """Counts what happened to each kind of record."""

    def __init__(self):
        self.by_model: dict[str, Counter] = defaultdict(Counter)

    def add(self, model: type[models.Model], outcome: str) -> None:
        self.by_model[model._meta.label][outcome] += 1

    def as_dict(self) -> dict:
        totals = Counter()
        for counter in self.by_model.values():
            totals.update(counter)
        return {
            CREATED: totals[CREATED],
            UPDATED: totals[UPDATED],
            UNCHANGED: totals[UNCHANGED],
            "models": {label: dict(counter) for label, counter in sorted(self.by_model.items())},
        }


def _differs(obj: models.Model, name: str, value) -> bool:
    field = obj._meta.get_field(name)
    if field.many_to_one or field.one_to_one:
        return getattr(obj, field.attname) != (value.pk if value is not None else None)
    return getattr(obj, name) != value


def _upsert(model: type[models.Model], lookup: dict, values: dict) -> tuple[models.Model, str]:
    """update_or_create that saves only when a value differs, so reruns leave rows (and updated_at) alone."""
    obj = model.objects.filter(**lookup).first()
    if obj is None:
        obj = model(**lookup, **values)
        outcome = CREATED
    else:
        changed = [name for name, value in values.items() if _differs(obj, name, value)]
        if not changed:
            return obj, UNCHANGED
        for name in changed:
            setattr(obj, name, values[name])
        outcome = UPDATED
    obj.full_clean()
    obj.save()
    return obj, outcome


def _set_links(obj: models.Model, field_name: str, targets) -> bool:
    """Set a many-to-many field to exactly `targets`; return whether anything changed."""
    manager = getattr(obj, field_name)
    wanted = {target.pk for target in targets}
    if set(manager.values_list("pk", flat=True)) == wanted:
        return False
    manager.set(targets)
    return True


def _finish(tally: _Tally, obj: models.Model, outcome: str, links_changed: bool = False) -> None:
    """Count the record and, for public records that changed, write an audit entry."""
    if outcome == UNCHANGED and links_changed:
        outcome = UPDATED
    tally.add(type(obj), outcome)
    if outcome != UNCHANGED and isinstance(obj, Publishable):
        audit_record(actor=None, action=AUDIT_ACTION, record=obj, detail={"result": outcome})


def _published(**values) -> dict:
    return {"publication_state": PUBLISHED, **values}


def _checked(**values) -> dict:
    """Values for listings residents act on: published, with fixed verification and review dates."""
    return _published(last_verified_on=LAST_VERIFIED_ON, review_due_on=REVIEW_DUE_ON, **values)


def _load_needs(tally: _Tally) -> dict[str, Need]:
    needs: dict[str, Need] = {}
    for row in NEEDS:  # parents are listed before their children
        parent = needs[row["parent"]] if row["parent"] else None
        need, outcome = _upsert(
            Need,
            {"slug": row["slug"]},
            {
                "name": row["name"],
                "description": row["description"],
                "question": row["question"],
                "position": row["position"],
                "parent": parent,
            },
        )
        _finish(tally, need, outcome)
        needs[need.slug] = need
    return needs


def _load_audiences(tally: _Tally) -> dict[str, Audience]:
    audiences: dict[str, Audience] = {}
    for position, (slug, name, description) in enumerate(AUDIENCES, start=1):
        audience, outcome = _upsert(
            Audience, {"slug": slug}, {"name": name, "description": description, "position": position}
        )
        _finish(tally, audience, outcome)
        audiences[slug] = audience
    return audiences


def _load_organisations(tally: _Tally) -> dict[str, Organisation]:
    organisations: dict[str, Organisation] = {}
    outcomes: dict[str, str] = {}
    for row in ORGANISATIONS:  # parents are listed before their branches
        parent = organisations[row["parent"]] if row["parent"] else None
        organisation, outcomes[row["slug"]] = _upsert(
            Organisation,
            {"slug": row["slug"]},
            _checked(name=row["name"], description=row["description"], parent=parent),
        )
        organisations[organisation.slug] = organisation

    partners_of: dict[str, set[str]] = {slug: set() for slug in organisations}
    for first, second in PARTNERSHIPS:
        partners_of[first].add(second)
        partners_of[second].add(first)
    for slug, organisation in organisations.items():
        partners = [organisations[partner] for partner in sorted(partners_of[slug])]
        links_changed = _set_links(organisation, "partners", partners)
        _finish(tally, organisation, outcomes[slug], links_changed)
    return organisations


def _load_services(tally, organisations, needs, audiences) -> dict[str, Service]:
    services: dict[str, Service] = {}
    for row in SERVICES:
        values = {**SERVICE_DEFAULTS}
        values.update({key: value for key, value in row.items() if key not in {"slug", "needs", "audiences"}})
        values["organisation"] = organisations[row["organisation"]]
        service, outcome = _upsert(Service, {"slug": row["slug"]}, _checked(**values))
        needs_changed = _set_links(service, "needs", [needs[slug] for slug in row["needs"]])
        audiences_changed = _set_links(service, "audiences", [audiences[slug] for slug in row["audiences"]])
        _finish(tally, service, outcome, needs_changed or audiences_changed)
        services[service.slug] = service
    return services


def _load_sources(tally: _Tally) -> dict[str, Source]:
    sources: dict[str, Source] = {}
    for key, row in SOURCES.items():
        values = dict(row)  # the seed gives no links; `url` is left to staff
        lookup = {"publisher": values.pop("publisher"), "title": values.pop("title")}
        source, outcome = _upsert(Source, lookup, values)
        _finish(tally, source, outcome)
        sources[key] = source
    return sources


def _load_areas(tally: _Tally) -> dict[str, Area]:
    areas: dict[str, Area] = {}
    for code, name, kind, is_home in AREAS:
        area, outcome = _upsert(Area, {"code": code}, {"name": name, "kind": kind, "is_home": is_home})
        _finish(tally, area, outcome)
        areas[code] = area
    return areas


def _load_data_point(tally, indicator, source, areas, row) -> None:
    row = {**DATA_POINT_DEFAULTS, **row}
    period_label, period_start, period_end = row["period"]
    data_point, outcome = _upsert(
        DataPoint,
        {
            "indicator": indicator,
            "area": areas[row["area"]],
            "period_start": period_start,
            "period_end": period_end,
        },
        {
            "period_label": period_label,
            "value": row["value"],
            "lower_limit": row["lower_limit"],
            "upper_limit": row["upper_limit"],
            "sample_size": row["sample_size"],
            "rank": row["rank"],
            "rank_out_of": row["rank_out_of"],
            "stated_trend": row["stated_trend"],
            "status_note": row["status_note"],
            "source": source,
        },
    )
    _finish(tally, data_point, outcome)

    comparators = []
    for code, relation, wording in row["comparisons"]:
        comparison, outcome = _upsert(
            StatedComparison,
            {"data_point": data_point, "comparator": areas[code]},
            {"relation": relation, "wording": wording},
        )
        _finish(tally, comparison, outcome)
        comparators.append(areas[code])
    data_point.stated_comparisons.exclude(comparator__in=comparators).delete()


def _load_indicator_links(tally, indicator, link_model, field_name, targets, wanted) -> bool:
    """Upsert the through rows for one indicator (need or service links) and drop any others."""
    keep = []
    for slug, note in wanted:
        link, outcome = _upsert(
            link_model, {"indicator": indicator, field_name: targets[slug]}, {"note": note}
        )
        _finish(tally, link, outcome)
        keep.append(link.pk)
    deleted, _ = link_model.objects.filter(indicator=indicator).exclude(pk__in=keep).delete()
    return bool(deleted)


def _load_indicators(tally, sources, areas, needs, services) -> None:
    for row in INDICATORS:
        row = {**INDICATOR_DEFAULTS, **row}
        source = sources[row["source"]]
        values = {
            key: value
            for key, value in row.items()
            if key not in {"slug", "source", "data_points", "needs", "services"}
        }
        indicator, outcome = _upsert(Indicator, {"slug": row["slug"]}, _published(source=source, **values))
        for point in row["data_points"]:
            _load_data_point(tally, indicator, source, areas, point)
        needs_changed = _load_indicator_links(tally, indicator, IndicatorNeed, "need", needs, row["needs"])
        services_changed = _load_indicator_links(
            tally, indicator, IndicatorService, "service", services, row["services"]
        )
        _finish(tally, indicator, outcome, needs_changed or services_changed)


def _load_synonyms(tally: _Tally) -> None:
    """Add any starting synonym group that is missing; groups staff have added or edited stay."""
    for terms in SYNONYMS:
        synonym, outcome = _upsert(Synonym, {"terms": terms}, {})
        _finish(tally, synonym, outcome)


def _load_context_facts(tally, sources, needs, services) -> None:
    for row in CONTEXT_FACTS:
        values = {
            key: value for key, value in row.items() if key not in {"slug", "source", "needs", "services"}
        }
        fact, outcome = _upsert(
            ContextFact, {"slug": row["slug"]}, _published(source=sources[row["source"]], **values)
        )
        needs_changed = _set_links(fact, "needs", [needs[slug] for slug in row["needs"]])
        services_changed = _set_links(fact, "services", [services[slug] for slug in row["services"]])
        _finish(tally, fact, outcome, needs_changed or services_changed)


@transaction.atomic
def load_demo() -> dict:
    """Load (or bring back in line) every demo record, all or nothing.

    Returns the totals created, updated and unchanged, and the same per model under "models".
    """
    tally = _Tally()
    needs = _load_needs(tally)
    audiences = _load_audiences(tally)
    organisations = _load_organisations(tally)
    services = _load_services(tally, organisations, needs, audiences)
    sources = _load_sources(tally)
    areas = _load_areas(tally)
    _load_indicators(tally, sources, areas, needs, services)
    _load_context_facts(tally, sources, needs, services)
    _load_synonyms(tally)
    return tally.as_dict()
