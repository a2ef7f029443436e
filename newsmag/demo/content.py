"""Demo content for `manage.py load_demo`: an invented news magazine, written for the demo."""

SECTIONS = [
    {
        "slug": "world",
        "name": "World",
        "description": "Reporting from ports, borders and villages far beyond the city limits.",
    },
    {
        "slug": "politics",
        "name": "Politics",
        "description": "City halls, assemblies and the decisions that shape everyday life.",
    },
    {
        "slug": "business",
        "name": "Business",
        "description": "Prices, jobs and the companies and traders behind the local economy.",
    },
    {
        "slug": "science",
        "name": "Science",
        "description": "Research from the lab and the field, explained without the jargon.",
    },
    {
        "slug": "culture",
        "name": "Culture",
        "description": "People, festivals and community life, told with curiosity and warmth.",
    },
]

AUTHORS = [
    {
        "slug": "people-news",
        "name": "People News",
        "role": "News agency",
        "bio": "People News is an independent news agency supplying reporting, photography and features "
        "to publications across the region.",
    },
    {
        "slug": "maria-keller",
        "name": "Maria Keller",
        "role": "Staff writer",
        "bio": "Maria Keller writes about travel, transport and community life. She joined Newsmag after "
        "six years on a regional daily and still prefers trains to planes.",
    },
    {
        "slug": "tomas-brandt",
        "name": "Tomas Brandt",
        "role": "Politics editor",
        "bio": "Tomas Brandt has covered city hall and the regional assembly for more than a decade. "
        "He edits the Politics section.",
    },
    {
        "slug": "amara-okafor",
        "name": "Amara Okafor",
        "role": "Science correspondent",
        "bio": "Amara Okafor trained as a geologist before turning to journalism. She reports on climate, "
        "health and field research.",
    },
    {
        "slug": "jonas-lindqvist",
        "name": "Jonas Lindqvist",
        "role": "Business reporter",
        "bio": "Jonas Lindqvist follows prices, small businesses and technology, with a particular "
        "interest in how economic news lands at the kitchen table.",
    },
    {
        "slug": "priya-natarajan",
        "name": "Priya Natarajan",
        "role": "Culture editor",
        "bio": "Priya Natarajan edits the Culture section and writes about music, festivals and the "
        "people who make them happen.",
    },
]

IMAGES = [
    {
        "key": "bakery-lanterns",
        "title": "Bakery window at night",
        "caption": "A lit bakery window on a harbour street before dawn. Illustration generated with AI.",
        "alt_text": "Warm yellow light spilling from a small bakery window onto a dark cobbled street",
        "credit": "People News",
        "creator": "",
        "copyright_notice": "© 2026 People News",
        "source_type": "trainedAlgorithmicMedia",
        "ai_system": "Imagen 4",
        "colors": ["#2b2d42", "#f4a261"],
        "motif": "circles",
    },
    {
        "key": "harbour-dawn",
        "title": "Harbour at dawn",
        "caption": "Container cranes before the morning shift. Illustration generated with AI.",
        "alt_text": "Cranes silhouetted against an orange sky over a harbour",
        "credit": "People News",
        "creator": "",
        "copyright_notice": "© 2026 People News",
        "source_type": "trainedAlgorithmicMedia",
        "ai_system": "Imagen 4",
        "colors": ["#1d3557", "#e76f51"],
        "motif": "sun",
    },
    {
        "key": "glacier-borehole",
        "title": "Drill camp on the glacier",
        "caption": "A research camp on the ice: a field photo combined with AI-generated sky and terrain.",
        "alt_text": "Small tents and a drilling rig on a white glacier below pale blue mountains",
        "credit": "People News",
        "creator": "",
        "copyright_notice": "© 2026 People News",
        "source_type": "compositeWithTrainedAlgorithmicMedia",
        "ai_system": "Adobe Firefly",
        "colors": ["#a8dadc", "#457b9d"],
        "motif": "mountains",
    },
    {
        "key": "festival-dusk",
        "title": "Courtyard stage at dusk",
        "caption": "An open-air courtyard stage as the evening sets begin. Illustration generated with AI.",
        "alt_text": "Strings of lights over a small crowd facing a courtyard stage in purple evening light",
        "credit": "People News",
        "creator": "",
        "copyright_notice": "© 2026 People News",
        "source_type": "trainedAlgorithmicMedia",
        "ai_system": "Imagen 4",
        "colors": ["#3d1a5b", "#ffb703"],
        "motif": "waves",
    },
    {
        "key": "council-chamber",
        "title": "Council chamber after midnight",
        "caption": "Councillors vote on the budget in the early hours of Thursday.",
        "alt_text": "Rows of desks in a wood-panelled council chamber with raised hands during a vote",
        "credit": "Elena Marsh",
        "creator": "Elena Marsh",
        "copyright_notice": "© 2026 Elena Marsh",
        "source_type": "digitalCapture",
        "ai_system": "",
        "colors": ["#5e3023", "#c89f9c"],
        "motif": "bars",
    },
    {
        "key": "river-delta",
        "title": "Receding floodwater on the delta",
        "caption": "Fields near Port Arrun as the floodwater begins to drain away.",
        "alt_text": "Flooded rice fields reflecting a grey sky, with a raised earth embankment in front",
        "credit": "People News",
        "creator": "Kofi Mensah",
        "copyright_notice": "© 2026 People News / Kofi Mensah",
        "source_type": "digitalCapture",
        "ai_system": "",
        "colors": ["#2a9d8f", "#8d99ae"],
        "motif": "waves",
    },
    {
        "key": "market-stalls",
        "title": "Saturday market on Linden Square",
        "caption": "Stallholders on Linden Square, where most traders now take cards only.",
        "alt_text": "Market stalls with striped awnings selling cheese, bread and flowers on a sunny square",
        "credit": "Hannah Voss",
        "creator": "Hannah Voss",
        "copyright_notice": "© 2026 Hannah Voss",
        "source_type": "digitalCapture",
        "ai_system": "",
        "colors": ["#e9c46a", "#264653"],
        "motif": "circles",
    },
    {
        "key": "turbine-ridge",
        "title": "Turbines on Hollen Ridge",
        "caption": "Wind turbines on Hollen Ridge, paused as a flock of cranes passes overhead.",
        "alt_text": "White wind turbines on a ridge under a cold sky with a line of birds flying past",
        "credit": "Ruben Aalto",
        "creator": "Ruben Aalto",
        "copyright_notice": "© 2026 Ruben Aalto",
        "source_type": "digitalCapture",
        "ai_system": "",
        "colors": ["#caf0f8", "#0077b6"],
        "motif": "mountains",
    },
    {
        "key": "inflation-chart",
        "title": "Inflation, month by month",
        "caption": "Inflation has fallen for three months in a row, while food prices lag behind.",
        "alt_text": "Bar chart showing annual inflation falling over recent months",
        "credit": "Newsmag Graphics",
        "creator": "",
        "copyright_notice": "© 2026 Newsmag",
        "source_type": "digitalCreation",
        "ai_system": "",
        "colors": ["#f1faee", "#e63946"],
        "motif": "grid",
    },
    {
        "key": "hopp-app",
        "title": "The Hopp journey planner",
        "caption": "The journey planner screen in a pre-release version of the Hopp app.",
        "alt_text": "Phone screen showing a route map with bus, tram and ferry connections",
        "credit": "Westhaven Transport Authority",
        "creator": "",
        "copyright_notice": "© 2026 Westhaven Transport Authority",
        "source_type": "screenCapture",
        "ai_system": "",
        "colors": ["#023047", "#8ecae6"],
        "motif": "grid",
    },
    # Pictures inside the night baker's story (its body shows them by reference: {image:key}).
    {
        "key": "bakery-oven",
        "title": "Bread coming out of the oven",
        "caption": "Rye loaves at three in the morning. Illustration generated with AI.",
        "alt_text": "Dark rye loaves on a wooden peel in front of a glowing oven mouth",
        "credit": "People News",
        "creator": "",
        "copyright_notice": "© 2026 People News",
        "source_type": "trainedAlgorithmicMedia",
        "ai_system": "Imagen 4",
        "colors": ["#3d2c2e", "#e9a03b"],
        "motif": "circles",
    },
    {
        "key": "quay-street-nurses",
        "title": "Nurses at the bakery counter",
        "caption": "Nurses from the district hospital stop by after a late shift.",
        "alt_text": "Three nurses in coats laughing at a small bakery counter",
        "credit": "People News",
        "creator": "Elena Marsh",
        "copyright_notice": "© 2026 Elena Marsh / People News",
        "source_type": "digitalCapture",
        "ai_system": "",
        "colors": ["#264653", "#e9c46a"],
        "motif": "bars",
    },
    {
        "key": "quay-street-ferry",
        "title": "Ferry crew with coffee",
        "caption": "The early ferry's crew, coffee in hand, before the first crossing.",
        "alt_text": "Two ferry crew members in orange jackets holding paper cups on the quay",
        "credit": "People News",
        "creator": "Elena Marsh",
        "copyright_notice": "© 2026 Elena Marsh / People News",
        "source_type": "digitalCapture",
        "ai_system": "",
        "colors": ["#1d3557", "#a8dadc"],
        "motif": "waves",
    },
    {
        "key": "quay-street-shelf",
        "title": "The take-what-you-need shelf",
        "caption": "The shelf by the door, with its hand-painted sign.",
        "alt_text": "A wooden shelf with wrapped rolls under a hand-painted sign reading Take what you need",
        "credit": "People News",
        "creator": "Elena Marsh",
        "copyright_notice": "© 2026 Elena Marsh / People News",
        "source_type": "digitalCapture",
        "ai_system": "",
        "colors": ["#6d4c41", "#ffe0b2"],
        "motif": "grid",
    },
]

ARTICLES = [
    {
        "slug": "night-baker-kessling",
        "section": "culture",
        "kicker": "People",
        "headline": "The night baker who keeps a harbour town's lights on",
        "dek": "For eleven years, Ilse Marten has opened her bakery at 2 a.m. so that nurses, ferry crews "
        "and cleaners have somewhere warm to go. Now the town is returning the favour.",
        "source_label": "People News",
        "authors": ["maria-keller", "people-news"],
        "tags": ["people", "community", "food"],
        "image": "bakery-lanterns",
        "hours_ago": 2,
        "status": "published",
        "featured": True,
        "body": """
<p>On Quay Street in the small harbour town of Kessling, there is a window that glows when every
other window is dark. Behind it, at two o'clock in the morning, Ilse Marten is already up to her
elbows in dough.</p>
<p>Marten, 71, has run the Marten &amp; Daughter bakery for more than forty years. For most of that
time it kept ordinary hours. But eleven years ago, after her husband Karl died, she found she could
not sleep. "So I thought, if I am awake anyway, I may as well bake," she said. "And then I thought,
if I am baking, I may as well open the door."</p>
<h2>A warm room at 2 a.m.</h2>
<p>Word spread quickly. Nurses finishing late shifts at the district hospital began stopping by on
their way home. Crews from the early ferry came for coffee before the first crossing. Street
cleaners, bus drivers and a night-shift fishmonger became regulars.</p>
<figure data-image="{image:bakery-oven}" data-layout="wide"></figure>
<p>Today, the bakery's small front room fills up several times a night. There are four chairs, a
bench by the radiator, and a shelf by the door with a hand-painted sign that reads <em>Take what you
need</em>.</p>
<p>Regulars describe what makes the place special in different ways:</p>
<ul>
<li>The rye bread, still warm, wrapped in paper with a pencilled note of the time it came out of the
oven.</li>
<li>The coffee, which is free for anyone who arrives before four.</li>
<li>The radio, always tuned to old dance music, always slightly too quiet.</li>
<li>And Marten herself, who remembers everyone's name and most of their children's.</li>
</ul>
<p>"After a bad night on the ward, you don't want to go home to an empty kitchen," said Amira
Sandoval, a nurse who has stopped by most weeknights for six years. "You come here, Ilse gives you a
roll and asks how it went, and by the time you leave, you feel like a person again."</p>
<blockquote data-pull-quote=""><p>If I am awake anyway, I may as well bake.</p>
<p data-attribution="">Ilse Marten, baker</p></blockquote>
<div data-gallery="">
<figure data-image="{image:quay-street-nurses}"></figure>
<figure data-image="{image:quay-street-ferry}"></figure>
<figure data-image="{image:quay-street-shelf}"><figcaption>“Take what you need”: the shelf by the
door.</figcaption></figure>
</div>
<h2>The town returns the favour</h2>
<p>Last winter, Marten slipped on ice outside the bakery and broke her wrist. She assumed the night
openings were over. Instead, her customers organised a rota.</p>
<p>For seven weeks, volunteers — a retired ferry engineer, two nursing students and a teenager named
Yusuf Demir — came in to knead, shape and load the oven under Marten's direction from a chair in the
corner. The lights never went off once.</p>
<p>"She told us exactly what to do, and she told us when we did it wrong, which was often," said
Demir, 19, who has since started a formal apprenticeship with her. "I had never baked anything in my
life. Now I dream about sourdough."</p>
<p>Demir filmed the first night shift he ran on his own:</p>
<figure data-embed="{embed:youtube}"></figure>
<p>The town's ferry company thanked the volunteers the next morning:</p>
<figure data-embed="{embed:bluesky}"></figure>
<aside data-factbox=""><h3>What we know</h3>
<ul>
<li>The bakery opens at 2 a.m., six nights a week.</li>
<li>Coffee is free for anyone who arrives before four.</li>
<li>Volunteers kept it open for seven weeks while Marten's wrist healed.</li>
</ul></aside>
<h3>What comes next</h3>
<p>Marten says she has no plans to stop, although she has agreed to let Demir take over two nights a
week. The town council recently gave the bakery a small grant to replace its ageing oven, and a
local artist has painted a lantern above the door.</p>
<p>Asked why she has kept going all these years, she shrugged and dusted flour from her apron.
"People who work at night take care of the rest of us while we sleep," she said. "Somebody should
take care of them. It might as well be me."</p>
""",
    },
    {
        "slug": "port-calvera-strike-ends",
        "section": "world",
        "kicker": "Labour",
        "headline": "Port Calvera dockworkers end nine-day strike with new shift deal",
        "dek": "Cranes restarted before sunrise after the union and terminal operators agreed to shorter "
        "night rotations and a safety review. Shippers warn the backlog will take weeks to clear.",
        "source_label": "People News",
        "authors": ["people-news"],
        "tags": ["shipping", "labour", "trade"],
        "image": "harbour-dawn",
        "hours_ago": 5,
        "status": "published",
        "featured": False,
        "body": """
<p>The cranes at Port Calvera began moving again shortly before five on Tuesday morning, ending a
nine-day strike that had left more than forty container ships waiting at anchor off the coast and
stalled deliveries to supermarkets and factories across the region.</p>
<p>Members of the Calvera Dock and Harbour Union voted by a clear majority late on Monday to accept
a revised offer from the port's two terminal operators. Turnout was high, union officials said, with
many members casting their ballots in person at the union hall on Wharf Road after their final
picket shift.</p>
<h2>What the deal changes</h2>
<p>The dispute centred on night work. Dockworkers had complained that rotations of up to twelve
hours after dark, combined with short-notice changes to rosters, were wearing crews down and making
accidents more likely. The agreement addresses several of those concerns directly:</p>
<ul>
<li>Night shifts are capped at ten hours, with a guaranteed break of forty-five minutes.</li>
<li>Rosters must be published fourteen days in advance, up from five.</li>
<li>An independent safety review of the container yards will report within six months.</li>
<li>Pay rises by 4.5 percent this year and by a further 3 percent next year.</li>
</ul>
<p>"Nobody wanted this to go on longer than it had to," said Rosa Quintal, the union's lead
negotiator, speaking outside the terminal gates as the first trucks rolled in. "But our members
needed to know that the people who plan the shifts understand what it is like to work them."</p>
<p>A spokesperson for Calvera Terminals, the larger of the two operators, said the company was
"pleased to have reached a fair settlement" and would work with the union on the safety review. The
company did not comment on the cost of the stoppage.</p>
<h2>A backlog measured in weeks</h2>
<p>For importers, the end of the strike is only the beginning of a slow recovery. Shipping agents
estimate that clearing the queue of vessels will take at least three weeks, even with terminals
running around the clock. Some lines diverted cargo to smaller ports further along the coast during
the dispute, and those containers now need to be trucked back.</p>
<p>Retailers said shelves should return to normal gradually. A regional grocers' association noted
that fresh produce had been hit hardest, with some fruit shipments spoiled while waiting
offshore.</p>
<h3>Lessons for other ports</h3>
<p>Labour researchers say the Calvera settlement may be watched closely elsewhere. Several ports in
the region have introduced automated scheduling systems in recent years, and unions argue that
software designed to maximise crane time can overlook fatigue. "Predictable rosters sound like a
small thing," said Dr. Mateo Ibarra, who studies port labour at the University of Santa Lucena. "In
practice, they are often what decides whether people can keep doing this job for thirty years."</p>
<p>The first ship to berth after the strike, a feeder vessel carrying building materials, was
unloaded by mid-morning. Crews greeted it with a long blast of the terminal's horn.</p>
""",
    },
    {
        "slug": "inflation-eases-food-prices",
        "section": "business",
        "kicker": "Economy",
        "headline": "Inflation eases for a third month, but food prices stay stubborn",
        "dek": "Energy costs are falling and the central bank sounds calmer. At the checkout, though, many "
        "households are yet to feel the difference.",
        "source_label": "",
        "authors": ["jonas-lindqvist"],
        "tags": ["economy", "prices", "food"],
        "image": "inflation-chart",
        "hours_ago": 9,
        "status": "published",
        "featured": False,
        "body": """
<p>Consumer price inflation slowed for the third consecutive month in October, falling to 3.1 percent
from 3.6 percent in February, according to figures published on Tuesday by the national statistics
office. It is the lowest reading in more than two years.</p>
<p>Most of the decline came from energy. Household electricity and heating costs fell sharply as
wholesale gas prices continued to ease after a mild winter, and fuel at the pump was cheaper than a
year ago for the first time since the autumn.</p>
<h2>Why the weekly shop still hurts</h2>
<p>Food is the exception. Prices for groceries rose 6.2 percent over the year, barely slower than
last month. Economists point to several causes:</p>
<ul>
<li>Poor harvests of some vegetables and olive oil in southern growing regions.</li>
<li>Higher wages in food processing and retail, which are passed on to shoppers.</li>
<li>Transport and packaging costs that have not fallen as quickly as energy.</li>
<li>Weak competition in some product categories, according to consumer groups.</li>
</ul>
<p>"Inflation is a bit like an average temperature," said Sofia Brennan, chief economist at
Harborview Bank. "The headline number can look comfortable while the room you actually spend time in
is still too warm. For lower-income households, food is a much bigger share of spending, so their
personal inflation rate is higher than the official figure."</p>
<p>A household survey published alongside the data found that 41 percent of respondents had switched
to cheaper brands in the past three months, and about one in five said they had cut back on fresh
fruit and vegetables.</p>
<h2>The central bank's next move</h2>
<p>The figures will be read closely at the central bank, which has held its main interest rate at 4
percent since last summer. Officials have signalled that they want to see inflation falling steadily
before they cut rates, and several said in recent speeches that the outlook was "moving in the right
direction".</p>
<p>Financial markets now expect a first cut as early as June. Mortgage lenders have already begun to
trim fixed-rate offers in anticipation, which could bring some relief to homeowners who need to
refinance this year.</p>
<h3>Small businesses watch wages</h3>
<p>For many small firms, the bigger question is labour costs. Wages are still rising faster than
prices, which is good news for workers' purchasing power but puts pressure on cafes, shops and
workshops with thin margins.</p>
<p>"Two years ago, my problem was the electricity bill," said Tomasz Wren, who runs a bakery and
cafe with eleven staff in the city's Riverside district. "Now the bill is fine, and I'm glad my team
is earning more. But I can only raise the price of a sandwich so many times before people stop
buying it."</p>
<p>The statistics office will publish April figures next month. Most forecasters expect inflation to
dip below 3 percent by the summer, with food prices the main uncertainty.</p>
""",
    },
    {
        "slug": "hvitfjell-glacier-sensors",
        "section": "science",
        "kicker": "Climate research",
        "headline": "Under the ice: a tiny laboratory listens to a glacier breathe",
        "dek": "Researchers have threaded sensors through 300 metres of ice on the Hvitfjell glacier. "
        "The data is changing how they think about meltwater and speed.",
        "source_label": "",
        "authors": ["amara-okafor"],
        "tags": ["climate", "research", "technology"],
        "image": "glacier-borehole",
        "hours_ago": 14,
        "status": "published",
        "featured": False,
        "body": """
<p>The laboratory is about the size of a thermos flask, and it sits at the bottom of a borehole 312
metres deep in the Hvitfjell glacier. Every ten minutes, it measures water pressure, temperature and
the faint creaking of the ice, then sends the readings up a thin cable to a solar-powered station on
the surface.</p>
<p>"It's like having a stethoscope on the glacier's chest," said Dr. Leila Haddad, the glaciologist
who leads the project at the Northern Institute for Earth Observation. "For the first time, we can
hear what happens at the base of the ice as the seasons change."</p>
<h2>Why the bottom matters</h2>
<p>Glaciers move by deforming under their own weight, but also by sliding over the rock beneath
them. That sliding is strongly affected by meltwater that finds its way from the surface to the bed
through cracks and channels. When water pressure at the base is high, the ice can lift slightly and
speed up.</p>
<p>Until recently, most of what scientists knew about this process came from surface measurements
and computer models. Direct observations from the bed are rare because drilling through hundreds of
metres of ice is difficult and expensive.</p>
<p>The Hvitfjell team used a hot-water drill to melt three boreholes over two summers. Their sensors
have now recorded a full year of data, and the early results contain some surprises:</p>
<ul>
<li>Water pressure at the bed rose sharply within hours of warm spells at the surface.</li>
<li>The glacier sped up by as much as 40 percent during those events.</li>
<li>In late summer, the effect weakened as meltwater carved more efficient drainage channels.</li>
<li>Small "icequakes" clustered around the boreholes before each speed-up.</li>
</ul>
<h2>What it means for sea level</h2>
<p>Hvitfjell is a mountain glacier and will not by itself change global sea level. But the same
physics applies to the much larger outlet glaciers that drain ice sheets into the ocean, and
understanding it better could improve projections.</p>
<p>"Models tend to treat the base of a glacier as a fairly simple surface," said Dr. Haddad. "What
we see is messy, fast and very sensitive to weather. That does not necessarily mean things are worse
than we thought, but it does mean the uncertainty is larger in some scenarios."</p>
<h3>Life at the drill camp</h3>
<p>The field season lasts about six weeks. A team of eight lives in tents on the ice, with a
generator for the drill and a small kitchen tent that, by most accounts, is the heart of the
operation. Graduate student Oskar Brandvold said the hardest part was not the cold but the noise.
"The glacier makes sounds all night," he said. "Cracks, groans, water running somewhere under you.
After a week, you stop noticing. After two, you start to miss it when you're home."</p>
<p>The team's first paper has been submitted for review, and the data will be made public through an
<a href="https://example.org/hvitfjell-data">open archive</a> next year.</p>
""",
    },
    {
        "slug": "westhaven-budget-vote",
        "section": "politics",
        "kicker": "City Hall",
        "headline": "Councillors pass a leaner budget after a marathon late-night session",
        "dek": "Libraries are spared and bus fares frozen, but road repairs and some arts grants face cuts. "
        "The opposition says the plan delays hard choices to next year.",
        "source_label": "",
        "authors": ["tomas-brandt"],
        "tags": ["local-government", "budget", "transport"],
        "image": "council-chamber",
        "hours_ago": 18,
        "status": "published",
        "featured": False,
        "body": """
<p>Westhaven's city council approved its budget for the coming year at 1:20 a.m. on Thursday, after
a session that began the previous afternoon and included more than sixty proposed amendments, two
adjournments and one fire alarm.</p>
<p>The final plan, passed by 27 votes to 22, trims overall spending by around 3 percent while
protecting several services that had been under threat in early drafts. Mayor Hanne Solberg called
it "a budget that asks everyone to give a little and no one to give everything."</p>
<h2>Winners and losers</h2>
<p>The most contested items were the future of the city's branch libraries and a proposed increase
in bus fares. Both were reversed after weeks of public meetings and a petition signed by more than
11,000 residents.</p>
<ul>
<li>All nine branch libraries stay open, though two will close on Mondays.</li>
<li>Bus fares are frozen for twelve months; a planned rise of 20 cents is dropped.</li>
<li>Road resurfacing is cut by a quarter, with priority given to routes near schools.</li>
<li>Grants for small arts organisations fall by 10 percent.</li>
<li>A new fund for energy-saving repairs in council housing is created.</li>
</ul>
<p>To balance the books, the council will draw on part of its reserves and delay two building
projects, including a long-planned sports hall in the Eastbank district.</p>
<h2>Opposition warns of a gap next year</h2>
<p>Opposition councillors argued that using reserves simply postpones difficult decisions. "This is
a budget for this year and a problem for next year," said Kaspar Ilves, who leads the largest
opposition group. "We agree on protecting libraries. We do not agree on pretending the money will
appear."</p>
<p>The city's finance director told councillors that reserves would remain above the legal minimum
but warned that the same approach could not be repeated. Independent analysts broadly agree. A
report from the Westhaven Civic Trust last month estimated a funding gap of around 14 million in two
years' time unless income rises or services change.</p>
<h3>What residents said</h3>
<p>Several dozen residents stayed in the public gallery well past midnight. Among them was Ruth
Amadi, a retired nurse who had campaigned to keep her local library open. "I've been coming to these
meetings for two months," she said. "Tonight was the first time I felt they were listening."</p>
<p>Representatives of arts groups were less pleased. The director of a community theatre in the old
town said the cut would mean fewer free performances for schools. "Ten percent sounds modest," she
said. "For a small organisation, it can be the difference between a season and no season."</p>
<p>The budget now goes to the regional authority for routine approval. Council officials expect the
new bus timetable and library hours to take effect from the start of next month.</p>
""",
    },
    {
        "slug": "sena-delta-floods-recovery",
        "section": "world",
        "kicker": "Climate",
        "headline": "Villages on the Sena delta count the cost as floodwaters recede",
        "dek": "Aid groups are delivering clean water and seed to farming communities after the worst floods "
        "in a decade. Residents say rebuilding will be about more than houses.",
        "source_label": "People News",
        "authors": ["people-news", "maria-keller"],
        "tags": ["climate", "floods", "aid"],
        "image": "river-delta",
        "hours_ago": 30,
        "status": "published",
        "featured": False,
        "body": """
<p>In the village of Port Arrun, on the low southern edge of the Sena delta, the water line is still
visible on the whitewashed walls of the school: a brown stripe about the height of a child's
shoulder. The floodwaters that covered much of the delta for almost two weeks have now largely
drained away, but the work of recovery is only beginning.</p>
<p>Regional authorities say some 18,000 households were affected when a combination of heavy rain
upstream and an unusually high spring tide pushed the river over its banks. Most families were moved
to higher ground in time, and officials have confirmed no deaths, which local leaders credit to an
early-warning system installed three years ago.</p>
<h2>Water, seed and patience</h2>
<p>The most urgent need now is clean drinking water. Many village wells were contaminated by
floodwater, and aid organisations have set up temporary treatment units in a dozen communities.
Medical teams are watching for waterborne illness, particularly among young children.</p>
<p>Relief groups working in the delta list their priorities for the coming month:</p>
<ul>
<li>Testing and disinfecting wells in every affected village.</li>
<li>Distributing rice seed in time for the next planting window.</li>
<li>Repairing the earth embankments that protect low-lying fields.</li>
<li>Providing cash grants so families can buy what they need locally.</li>
</ul>
<p>"People here do not want to be handed things forever," said Nadia Farrow, who coordinates the
response for a coalition of local charities. "They want to plant. If the seed arrives on time, most
families can have a harvest by autumn."</p>
<h2>The early warning that worked</h2>
<p>Three years ago, volunteers in forty villages were trained to read river gauges and send alerts
by text message and loudspeaker. When the river began to rise in the early hours of the first night,
those volunteers went door to door.</p>
<p>"My neighbour knocked at two in the morning and said, 'Take the goats and go,'" said Benedek
Sarr, a farmer in Port Arrun, who lost most of his vegetable crop but saved his livestock. "Ten
years ago, we would have waited until the water was in the kitchen."</p>
<h3>Planning for the next flood</h3>
<p>Engineers from the regional water authority are expected to publish a review of the embankments
next month. Residents hope it will lead to long-promised investment in drainage channels and raised
storage for grain.</p>
<p>For now, the school in Port Arrun has reopened in borrowed tents on the football pitch. Teachers
say attendance was almost complete on the first day. "The children wanted to see each other," said
the head teacher, Ama Lund. "That tells you something about what a community needs after a
disaster."</p>
""",
    },
    {
        "slug": "millbrook-summer-nights-festival",
        "section": "culture",
        "kicker": "Festivals",
        "headline": "Old town festival returns with smaller stages and a greener plan",
        "dek": "After two years of noise complaints, the organisers of Millbrook Summer Nights have "
        "redesigned the event. Neighbours, musicians and stallholders are cautiously optimistic.",
        "source_label": "",
        "authors": ["priya-natarajan"],
        "tags": ["festivals", "music", "community"],
        "image": "festival-dusk",
        "hours_ago": 40,
        "status": "published",
        "featured": False,
        "body": """
<p>When the Millbrook Summer Nights festival announced its line-up on Monday, the biggest news was
not a headliner. It was a map.</p>
<p>After two years of complaints about noise, litter and crowds in the narrow streets of the old
town, the organisers have redrawn the festival almost from scratch. Instead of one large main stage
in Cathedral Square, this year's event will spread across seven smaller venues, including
courtyards, a disused tram depot and a barge moored on the river.</p>
<h2>What is changing</h2>
<p>Festival director Noor Castellan said the team spent the winter meeting residents' associations,
traders and musicians. "We heard very clearly that people love the festival but hate what it had
become on Saturday night," she said. "So we asked: what would it look like if it were designed for
the neighbourhood, not just for visitors?"</p>
<p>The new plan includes:</p>
<ul>
<li>Amplified music ends at 10:30 p.m. on weeknights and 11 p.m. at weekends.</li>
<li>Reusable cups with a deposit at every bar, replacing single-use plastic.</li>
<li>Free shuttle buses from park-and-ride sites on the edge of town.</li>
<li>Discounted passes for residents of the old town and surrounding streets.</li>
<li>A "quiet hour" each afternoon with acoustic sets for families.</li>
</ul>
<p>Ticket numbers will be capped at 12,000 a day, about a fifth fewer than last year.</p>
<h2>Musicians see an opportunity</h2>
<p>Smaller stages mean more slots, and the festival says about half of this year's acts are from the
region, up from roughly a third. For local musicians, that matters.</p>
<p>"Playing Cathedral Square was great if you were famous," said Lukas Ferreira, whose five-piece
folk band is booked for the tram depot. "For a band like us, a room of three hundred people who
actually came to listen is worth more than a square of ten thousand people waiting for someone
else."</p>
<p>Some fans have grumbled online that the headliners are less well known than in previous years.
Organisers acknowledge the trade-off but say advance ticket sales are on track.</p>
<h3>Neighbours wait and see</h3>
<p>Residents who had campaigned for changes gave a careful welcome. "It's a real improvement on
paper," said Hilde Brauer, who chairs the Old Town Residents' Association. "The test is the second
Saturday night at eleven o'clock. If it's quiet, we'll be the first to say so."</p>
<p>Cafe and restaurant owners were mostly positive, hoping that spreading events across the town
will bring customers to streets that were previously bypassed. The festival will publish a full
programme and venue guide on <a href="https://example.org/summer-nights">its website</a> later this
month.</p>
<p>Castellan said the team would survey residents and visitors after the event and publish the
results. "If something doesn't work, we'll change it," she said. "That is the deal we made with the
town."</p>
""",
    },
    {
        "slug": "linden-square-market-cashless",
        "section": "business",
        "kicker": "Small business",
        "headline": "Market traders go cashless, and not every customer is happy",
        "dek": "Card readers have arrived at the Saturday market on Linden Square. Stallholders say it saves "
        "time; some regulars say it leaves them behind.",
        "source_label": "People News",
        "authors": ["people-news", "jonas-lindqvist"],
        "tags": ["economy", "small-business", "technology"],
        "image": "market-stalls",
        "hours_ago": 52,
        "status": "published",
        "featured": False,
        "body": """
<p>For more than a century, the Saturday market on Linden Square has run on coins, notes and
handwritten price cards. This spring, most of its sixty-odd stallholders stopped accepting cash
altogether.</p>
<p>The change was not ordered by anyone. It spread stall by stall, after the market's traders'
association negotiated a lower fee with a card payment provider last year and a series of break-ins
at traders' vans made carrying cash feel risky.</p>
<h2>Why traders switched</h2>
<p>Stallholders who have gone card-only give similar reasons:</p>
<ul>
<li>No more early-morning trips to the bank for change.</li>
<li>Less risk of theft at the end of a long day.</li>
<li>Faster queues, especially at busy stalls selling coffee and bread.</li>
<li>Simpler bookkeeping, with sales recorded automatically.</li>
</ul>
<p>"I used to spend Friday evening counting coins into little plastic bags," said Greta Holm, who
sells cheese from a stall her grandfather started. "Now I spend Friday evening at home. I don't miss
it."</p>
<p>The traders' association says average spending per customer has risen slightly since the switch,
though it acknowledges that may also reflect better weather and a new bus stop near the square.</p>
<h2>Who gets left out</h2>
<p>Not everyone is pleased. On a recent Saturday, several older customers said they felt the market
had become less welcoming. Some prefer cash to keep track of their budget; others do not have a bank
card at all.</p>
<p>"I come with thirty in my purse and I know when it's gone," said Wilma Strand, 82, who has
shopped at the market every week since the 1970s. "With a card, I don't know what I've spent until
the letter comes."</p>
<p>Consumer advocates say the concern is real. A study by the Fair Access Network last year
estimated that around one in twenty adults in the region relies mainly on cash, a group that
includes many older people, some people with disabilities and those on very low incomes.</p>
<h3>A compromise at the flower stall</h3>
<p>A handful of traders have decided to keep taking both. Emil Faraj, who sells flowers and plants
near the fountain, keeps a small cash box next to his card reader. "Half my regulars pay in coins,"
he said. "If I said no, they would just go to the supermarket, and then who loses?"</p>
<p>The city council, which owns the square, is considering whether to require at least one
cash-accepting stall in each row. Officials say they want to hear from traders and shoppers before
making a decision, and an online consultation opens next week on <a
href="https://example.org/linden-market-consultation">the council's website</a>.</p>
<p>For now, the market's information booth has added a new service: a volunteer who will help
first-time card users set up contactless payments on their phones. Demand, she said, has been
steady.</p>
""",
    },
    {
        "slug": "youth-vote-pilot-districts",
        "section": "politics",
        "kicker": "Elections",
        "headline": "Sixteen-year-olds to vote in three districts under a trial scheme",
        "dek": "The pilot will cover next spring's local elections. Supporters say it builds lifelong "
        "voters; critics question whether the results will tell us much.",
        "source_label": "People News",
        "authors": ["people-news"],
        "tags": ["elections", "youth", "local-government"],
        "image": None,
        "hours_ago": 75,
        "status": "published",
        "featured": False,
        "body": """
<p>Teenagers aged sixteen and seventeen will be able to vote in local elections in three districts
next spring, after the regional assembly approved a pilot scheme on Wednesday by a comfortable
margin.</p>
<p>The trial will run in Northmere, Lowfield and the island district of Saltholm, which together
have around 9,000 residents in the eligible age group. If it is judged a success, the assembly could
extend the lower voting age to all local elections from the following cycle.</p>
<h2>How the pilot will work</h2>
<p>Young people in the three districts will be added to the electoral register automatically through
school records, with an option to opt out. Election officials plan to hold information sessions in
schools and youth centres over the winter.</p>
<p>The legislation sets out a few conditions for the trial:</p>
<ul>
<li>Only local council elections are included, not regional or national votes.</li>
<li>Schools must offer at least two hours of non-partisan civic education before polling day.</li>
<li>Political parties may not campaign on school premises.</li>
<li>An independent panel will publish turnout data and survey results within a year.</li>
</ul>
<p>"The best predictor of whether someone votes at thirty is whether they voted the first time they
could," said Liesel Aranda, the assembly member who introduced the bill. "At sixteen, most young
people still live at home and still go to school. It is a good moment to build the habit."</p>
<h2>Questions from critics</h2>
<p>Opponents argued that the three districts are too small and too different from one another to
produce meaningful conclusions. Saltholm, in particular, has one secondary school and a population
of just over 4,000.</p>
<p>"We are not against young people voting," said Marek Olsen, who spoke against the bill for the
minority group. "We are asking whether this pilot is designed to answer the question, or simply to
arrive at an answer that has already been chosen."</p>
<p>Researchers who study voting behaviour say both sides have a point. Evidence from places that
have lowered the voting age suggests first-time turnout among sixteen-year-olds can be higher than
among eighteen-year-olds, but the effect varies a great deal depending on how much schools and
families are involved.</p>
<h3>Students react</h3>
<p>At Lowfield Upper School, reactions on Thursday morning ranged from excitement to mild
indifference. "I'll vote, definitely," said Ines, 16, who sits on the student council. "The bus
routes and the skate park are decided by the council. Why shouldn't we have a say?"</p>
<p>Her classmate was more cautious. "I think it's good," he said, "but I'll need someone to explain
what a councillor actually does first." Teachers say that is exactly the point of the civic
education sessions planned for the winter.</p>
""",
    },
    {
        "slug": "hollen-ridge-turbines-cranes",
        "section": "science",
        "kicker": "Wildlife",
        "headline": "Wind farm on Hollen Ridge pauses its turbines for migrating cranes",
        "dek": "A radar system now switches off turbines when large flocks approach. Early results suggest "
        "the lost power is small and the birds are safer.",
        "source_label": "People News",
        "authors": ["people-news"],
        "tags": ["climate", "energy", "wildlife"],
        "image": "turbine-ridge",
        "hours_ago": 96,
        "status": "published",
        "featured": False,
        "body": """
<p>Twice a year, tens of thousands of common cranes pass over Hollen Ridge on their way between
northern breeding grounds and wintering sites further south. For the past three seasons, the ridge's
wind farm has done something unusual when they arrive: it stops.</p>
<p>A bird-detection radar mounted on a mast at the edge of the site tracks flocks up to eight
kilometres away. When a large group is heading towards the turbines at rotor height, the system
sends an automatic signal to slow and halt the blades. Once the birds have passed, usually within
twenty minutes, the turbines start again.</p>
<h2>How much power is lost?</h2>
<p>Wind farm operators have long worried that shutdowns for wildlife would be costly. The Hollen
Ridge results, published this week in a report by the operator and a regional conservation group,
suggest otherwise:</p>
<ul>
<li>Turbines were paused on 23 days during the autumn migration and 17 in spring.</li>
<li>Total lost generation was about 0.6 percent of the site's annual output.</li>
<li>No crane collisions were recorded in three years of monitoring.</li>
<li>Searches found fewer dead birds of other species than before the system was installed.</li>
</ul>
<p>"We expected the number to be higher," said Frida Navarro, operations manager at the wind farm.
"Cranes fly in big, visible groups and they tend to come on predictable days with certain winds.
That makes them easier to plan for than we feared."</p>
<h2>A model for other sites?</h2>
<p>Conservationists say the approach could help resolve conflicts over new wind farms along major
migration routes, where planning applications are often delayed by concerns about birds. But they
caution that radar systems work better for some species than others.</p>
<p>"Cranes, geese and large raptors are relatively easy to detect," said Jan-Erik Dahl, an
ornithologist with the Ridge Birds Trust, which helped design the monitoring. "Small songbirds
migrating at night are a much harder problem. We should not assume one solution fits
everything."</p>
<p>Cost is another question. The radar and software at Hollen Ridge cost roughly as much as a single
turbine, a significant investment for smaller projects. The operator says prices are falling as more
systems are installed.</p>
<h3>Watching the flocks</h3>
<p>On a cold morning last October, a small crowd of birdwatchers gathered at a lay-by below the
ridge as the first flocks came over, calling loudly. Above them, one by one, the long white blades
slowed and stopped.</p>
<p>"It's quite moving, actually," said Marit Solheim, who drove two hours to watch. "You have all
this technology on the hill, and it just waits for the birds to go by. Then it carries on. That
feels like the right order of things."</p>
<p>The regional energy agency has said it will consider the results when it updates planning
guidance for wind projects next year.</p>
""",
    },
    {
        "slug": "alden-morava-night-train",
        "section": "world",
        "kicker": "Transport",
        "headline": "Night train returns to the Alden-Morava line after twenty years",
        "dek": "A sleeper service linking two capitals is back on the timetable, carried by travellers who "
        "would rather not fly. We rode the first departure.",
        "source_label": "",
        "authors": ["maria-keller"],
        "tags": ["transport", "rail", "trade"],
        "image": None,
        "hours_ago": 120,
        "status": "published",
        "featured": False,
        "body": """
<p>At 9:47 p.m. on Friday, a long blue train eased out of Alden Central with a short whistle and a
round of applause from the platform. It was the first scheduled night service to Morava in twenty
years, and nearly every berth was taken.</p>
<p>The route was cut in the early 2000s, when budget airlines made the 900-kilometre journey cheap
and quick by air. Its revival reflects a shift in how many travellers think about short-haul trips,
as well as a decision by both national rail operators to share the cost of new sleeper
carriages.</p>
<h2>Life on board</h2>
<p>The train has three classes of accommodation: reclining seats, six-berth couchettes and private
compartments with a washbasin. A small cafe carriage serves soup, bread and local wine until
midnight, and breakfast is delivered to compartments an hour before arrival.</p>
<p>In my couchette were a retired teacher travelling to see her grandson, two students heading to a
music festival, and a software engineer who said he had not taken a night train since childhood. "I
could fly there in ninety minutes," he said, unfolding a blanket. "But by the time you add the
airport, it's the whole evening anyway. Here I go to sleep and wake up in the city centre."</p>
<p>Passengers and crew mentioned a few things that stood out on the first run:</p>
<ul>
<li>The train arrived in Morava eleven minutes early, at 8:04 a.m.</li>
<li>Fares start at 39 for a seat and 79 for a couchette berth.</li>
<li>Bicycles can be carried in a dedicated compartment if booked ahead.</li>
<li>The cafe ran out of croissants before Morava's outer suburbs.</li>
</ul>
<h2>Will it last?</h2>
<p>Night trains are expensive to run. Carriages spend the day idle, staff must work overnight, and
track access charges can be high. Several sleeper services relaunched elsewhere in recent years have
struggled to break even.</p>
<p>Officials at both rail companies say they have planned for a three-year trial, with a review
after the first eighteen months. "We are not expecting miracles in year one," said Petra Valen, who
leads the project for Alden Railways. "But the bookings for the summer are already better than our
forecast."</p>
<p>Transport campaigners have welcomed the return but say the timetable should be extended. At
present, the train runs four nights a week, and there is no connection for travellers continuing
beyond Morava.</p>
<h3>Morning in Morava</h3>
<p>As the train crossed the river into Morava, the sun was just clearing the rooftops. The retired
teacher was already standing by the door with her suitcase. "I'll do this again," she said. "Next
time I'm bringing my own croissants."</p>
""",
    },
    {
        "slug": "eastbank-library-of-things",
        "section": "culture",
        "kicker": "Community",
        "headline": "At the Library of Things, you can borrow a drill, a tent or a sewing machine",
        "dek": "A volunteer-run lending library in a former shoe shop has become one of the busiest corners "
        "of Eastbank. Its members say it is about more than saving money.",
        "source_label": "",
        "authors": ["maria-keller"],
        "tags": ["community", "people", "small-business"],
        "image": None,
        "hours_ago": 160,
        "status": "published",
        "featured": False,
        "body": """
<p>The shelves at 14 Garnet Street look, at first glance, like a slightly chaotic hardware shop.
There are drills and sanders, a carpet cleaner, three tents, a pasta machine, a karaoke set and, on
a high shelf, a chocolate fountain that is booked most weekends from May to September.</p>
<p>None of it is for sale. This is the Eastbank Library of Things, where members pay a small annual
fee and borrow household items in the same way they might borrow a book.</p>
<h2>From one idea to 600 members</h2>
<p>The project started four years ago, when two neighbours, Dana Petrov and Samuel Okonjo, realised
that between them they owned three electric drills and had used each of them about twice. "It's the
classic example," Petrov said. "Everyone has a drill. Nobody needs a drill for more than a few hours
a year."</p>
<p>They collected donated items, persuaded the landlord of a vacant shoe shop to offer a low rent,
and opened with about 80 objects. The library now has more than 600 members and around 450 items,
all catalogued online with photos and simple instructions.</p>
<p>Members say the most popular items are not always the obvious ones:</p>
<ul>
<li>Carpet and upholstery cleaners, especially at the end of rental tenancies.</li>
<li>Camping gear for families trying out a first trip.</li>
<li>Sewing machines, often borrowed alongside a free lesson.</li>
<li>Party supplies: folding tables, fairy lights and that chocolate fountain.</li>
</ul>
<h2>More than a bargain</h2>
<p>The annual fee is set on a sliding scale, from nothing for people on low incomes to a "supporter"
rate for those who can afford more. But volunteers say money is only part of the appeal.</p>
<p>"People come in to borrow a ladder and stay for twenty minutes talking about their gutters," said
Okonjo. "We have members who met here and now help each other with repairs. One couple borrowed the
same tent three summers in a row and then donated their own when they finally bought one."</p>
<p>On Saturday mornings, the back room hosts a repair cafe where volunteers fix broken toasters,
lamps and bicycles. Last year, they estimate, around 700 items were repaired instead of thrown
away.</p>
<h3>Growing pains</h3>
<p>Success has brought challenges. Items occasionally come back broken or not at all, and the lease
on the shop runs out next year. The library is in talks with the council about moving to a larger
space in a community centre.</p>
<p>"We've learned to be relaxed about the small stuff," said Petrov. "Things wear out. That's what
they're for. The important thing is that they're being used, not sitting in fifty different
cupboards."</p>
<p>On the afternoon we visited, a teenager returned a borrowed guitar amplifier with a thank-you
note taped to the top. "First gig went well," it read. "Sorry about the scratch."</p>
""",
    },
    {
        "slug": "hopp-transit-app-launch",
        "section": "business",
        "kicker": "Technology",
        "headline": "One ticket for buses, trams and ferries: the Hopp app goes live",
        "dek": "The new regional app promises a single account and a fare cap across five operators. "
        "We tested an early version to see what works and what still needs fixing.",
        "source_label": "",
        "authors": ["jonas-lindqvist"],
        "tags": ["transport", "technology", "prices"],
        "image": "hopp-app",
        "hours_ago": -48,
        "status": "published",
        "featured": False,
        "body": """
<p>From Monday, travellers in the Westhaven region will be able to pay for buses, trams, local
trains and harbour ferries through a single app, replacing five separate ticketing systems that have
frustrated commuters for years.</p>
<p>The app, called Hopp, was developed by the regional transport authority with the five main
operators. It uses a daily and weekly fare cap: passengers tap in and out as they travel, and the
app charges no more than the price of a day or week pass, whichever is cheaper.</p>
<h2>What we found in testing</h2>
<p>Newsmag spent a week with a pre-release version of the app, travelling across the region during
rush hour, at weekends and on one unexpectedly stormy evening ferry crossing. Overall, the
experience was smoother than we expected, with a few rough edges.</p>
<ul>
<li>Tapping in with a phone took under a second at most gates and bus readers.</li>
<li>The fare cap worked correctly on every day we tested it.</li>
<li>Real-time departure information was accurate for trams but patchy for rural buses.</li>
<li>The app drained the battery noticeably when location tracking was left on.</li>
<li>Ferry readers occasionally failed in heavy rain, forcing a manual ticket check.</li>
</ul>
<p>The transport authority said the ferry issue had been identified and a hardware fix would be
installed before launch. It also said a battery-saving mode would be added in an early update.</p>
<h2>Not everyone has a smartphone</h2>
<p>Passenger groups have welcomed the simpler fares but warned against leaving people behind. Around
one in eight regular passengers in the region does not use a smartphone, according to the
authority's own surveys.</p>
<p>Officials say paper tickets and existing travel cards will remain valid for at least two years,
and a contactless bank card will work at the same readers as the app, with the same fare cap. A
plastic Hopp card, which can be topped up at kiosks and post offices, will be available from the
summer.</p>
<p>"The test of a system like this is not whether it works for a thirty-year-old commuter with the
latest phone," said Agnes Morrow of the Westhaven Passengers' Forum. "It is whether it works for a
grandmother taking the ferry to see her family on a Sunday."</p>
<h3>Cost and privacy</h3>
<p>The project cost around 38 million over four years, shared between the regional authority and the
operators. Officials expect savings from maintaining fewer ticket machines and back-office
systems.</p>
<p>Privacy campaigners have asked how long journey data will be stored. The authority says it keeps
detailed trip records for 90 days for billing and disputes, after which the data is anonymised for
planning purposes. A full privacy notice is published on <a
href="https://example.org/hopp-privacy">the authority's site</a>.</p>
<p>The app will be available to download from Sunday evening, with a help desk staffed at major
stations during the first two weeks.</p>
""",
    },
    {
        "slug": "pollen-season-starting-earlier",
        "section": "science",
        "kicker": "Health",
        "headline": "Why the pollen season keeps starting earlier",
        "dek": "Warmer winters are giving trees a head start, and allergy sufferers are feeling it. "
        "Scientists explain what is happening and what might help.",
        "source_label": "",
        "authors": ["amara-okafor"],
        "tags": ["climate", "health", "research"],
        "image": None,
        "hours_ago": 0,
        "status": "draft",
        "featured": False,
        "body": """
<p>If your eyes started itching in February this year, you are not imagining it. Across much of the
region, the pollen season now begins around two to three weeks earlier than it did in the 1990s,
according to long-term records kept by pollen monitoring stations.</p>
<p>The main driver, researchers say, is warmer late winters. Trees such as hazel, alder and birch
respond to accumulated warmth, and when January and February are mild, they flower sooner and, in
some cases, produce more pollen.</p>
<h2>What the records show</h2>
<p>The Eastmoor Aerobiology Station has counted pollen grains on sticky tape every day since 1987.
Its director, Dr. Johanna Vik, says the trends are clear enough to see without complicated
statistics:</p>
<ul>
<li>Birch pollen now peaks, on average, 16 days earlier than in the station's first decade.</li>
<li>The grass pollen season has lengthened by about a week at both ends.</li>
<li>Years with very high counts have become more common since 2010.</li>
<li>Ragweed, an invasive plant whose pollen is highly allergenic, now appears in most summers.</li>
</ul>
<p>"We used to tell people the season started at Easter," Dr. Vik said. "Now I tell them to keep an
eye on the forecast from the middle of February."</p>
<h2>Who is affected</h2>
<p>Hay fever affects roughly a quarter of adults in the region, and a longer season means more weeks
of sneezing, poor sleep and, for people with asthma, an increased risk of serious attacks. Doctors
say they are seeing more patients whose symptoms begin outside the traditional months.</p>
<p>Air pollution can make matters worse. Studies suggest that pollen grains exposed to traffic fumes
may release allergens more easily, and that pollution can irritate the airways and make them more
sensitive.</p>
<h3>What might help</h3>
<p>Allergy specialists offer some practical advice for the longer season:</p>
<ol>
<li>Start preventive treatment, such as nasal sprays, a couple of weeks before your usual symptoms
begin.</li>
<li>Check local pollen forecasts and keep windows closed on high-count days.</li>
<li>Shower and change clothes after spending time outdoors.</li>
<li>Talk to a doctor about immunotherapy if symptoms are severe.</li>
</ol>
<p>City planners also have a role. Some councils now consider allergy risk when choosing street
trees, favouring species that produce less airborne pollen and avoiding large plantings of a single
type.</p>
<p>"It's not about cutting down birches," said Dr. Vik. "It's about diversity. A city with many
different trees spreads the pollen over a longer period at lower levels, which is easier for
everyone."</p>
<p><em>Editor's note: this draft is awaiting this season's figures from the Eastmoor station before
publication.</em></p>
""",
    },
]

COMMENT_ARTICLE = "night-baker-kessling"

# A reader with an account (README "Reader accounts"): signs in at /accounts/login/ with this email and
# password (local use only) and comments under the display name, without typing a name or an email.
DEMO_READER = {
    "email": "carlos@newsmag.example",
    "password": "newsmag-carlos",
    "display_name": "Carlos Mendes",
    "comment": "I signed up to say this: I walk past the bakery every night on my way home from the "
    "late shift, and the light in that window is the best part of the walk. Thank you for telling "
    "its story.",
}

# "approved" comments are stored as a moderator left them; "pending" ones are sent through the moderation
# pipeline by load_demo, which holds them (first comments of their readers) and records why.
# "recommendations": how many readers recommended it (the thread's "Most recommended" order); "pick": an
# Editor's pick, made by the demo moderator.
COMMENTS = [
    {
        "name": "Lena Ortiz",
        "email": "lena@example.com",
        "status": "approved",
        "body": "The “Take what you need” shelf got me. I start at the harbour at five and never knew "
        "Marten & Daughter opens at 2 a.m.: I'm stopping by tomorrow. Stories like this are why I read "
        "this site.",
        "recommendations": 14,
        "replies": [
            {
                "by_author": True,
                "status": "approved",
                "body": "Thank you, Lena! Ilse says the rye comes out of the oven at about four, if you can "
                "wait that long.",
                "recommendations": 6,
            },
            {
                "name": "Tom Becker",
                "email": "tom.becker@example.net",
                "status": "approved",
                "body": "Same here. I read it on my phone on the night bus home, which felt about right.",
                "recommendations": 3,
                "replies": [
                    {
                        "name": "Lena Ortiz",
                        "email": "lena@example.com",
                        "status": "approved",
                        "body": "Ha, perfect timing! I hope there was a bakery open at the other end.",
                    },
                ],
            },
            # Four replies: the thread folds the last one into "Show 1 more reply".
            {
                "name": "Jonas Weber",
                "email": "jonas.weber@example.com",
                "status": "approved",
                "body": "Agreed, and not a single pop-up on the way. More of this, please.",
                "recommendations": 1,
            },
            {
                "name": "Ana Costa",
                "email": "ana.costa@example.org",
                "status": "approved",
                "body": "Sent it to my aunt, who runs a bakery. She says 2 a.m. counts as a lie-in.",
            },
        ],
    },
    {
        "name": "Nadia Rahman",
        "email": "nadia.r@example.org",
        "status": "approved",
        "body": "I'm a night-shift nurse two towns over and this made me a little teary. A warm room and a "
        "kind word after a long shift really do make all the difference.",
        "recommendations": 9,
        "pick": True,
        "replies": [
            {
                "by_author": True,
                "status": "approved",
                "body": "Thank you for everything you do, Nadia. Amira said almost exactly the same thing "
                "when we spoke to her.",
            },
            {
                "name": "Pieter van Loon",
                "email": "pieter@example.net",
                "status": "pending",
                "body": "Does anyone know if there is something like this in Westhaven? The hospital "
                "canteen closes at nine.",
            },
        ],
    },
    {
        "name": "Greg Hall",
        "email": "greg.hall@example.com",
        "status": "approved",
        "body": "We stopped in Kessling last summer and bought the rye bread without knowing any of this. "
        "Now I want to go back at 2 a.m.",
        "recommendations": 5,
        "replies": [
            {
                "name": "Sofia Lindgren",
                "email": "sofia.lindgren@example.org",
                "status": "approved",
                "body": "Do it! The cinnamon buns alone are worth setting an alarm for.",
                "recommendations": 2,
                "replies": [
                    {
                        "name": "Greg Hall",
                        "email": "greg.hall@example.com",
                        "status": "approved",
                        "body": "Noted. Cinnamon buns at 2 a.m. is now officially on the holiday plan.",
                    },
                ],
            },
        ],
    },
    {
        "name": "Hiroshi Tanaka",
        "email": "hiroshi@example.net",
        "status": "approved",
        "body": '"Now I dream about sourdough" is the best line I\'ve read all week. Good luck with the '
        "apprenticeship, Yusuf!",
        "recommendations": 4,
    },
    {
        "name": "Claire Dubois",
        "email": "claire.dubois@example.org",
        "status": "pending",
        "body": 'Lovely piece. Is there a way to contribute to the "take what you need" shelf from '
        "further away? I'd be happy to chip in.",
    },
]

# The breaking news banner the demo shows: loaded fresh (expiring a few hours later) whenever none is running.
BREAKING_ALERT = {
    "kind": "breaking",
    "text": "Port Calvera strike is over: cranes are moving again after nine days",
    "article": "port-calvera-strike-ends",
    "hours": 4,
}

# The site pages (articles.models.Page), written by the desk in the admin: placeholder text an editor
# replaces before launch. {comment_data_days} is the comment data's retention period from the settings.
PAGES = [
    {
        "slug": "about",
        "title": "About us",
        "summary": "Who we are, what we cover and how we work.",
        "body": "<p>Newsmag is an independent news magazine covering politics, business, culture and the "
        "places our readers live. Our reporters and editors work from the newsroom in Port Calvera.</p>"
        "<h2>How we work</h2><p>Every story is checked by a second editor before it is published. When we "
        "get something wrong we say so: every correction and update is listed on our corrections page.</p>"
        "<h2>Pictures</h2><p>Every picture carries its credit line. An AI-generated image is labelled as "
        "such wherever it appears, and all of them are listed on our AI images page.</p>",
    },
    {
        "slug": "contact",
        "title": "Contact",
        "summary": "How to reach the newsroom, report an error or send us a tip.",
        "body": '<h2>Newsroom</h2><p>Email <a href="mailto:newsroom@example.org">newsroom@example.org</a> '
        "for tips, story ideas and press releases.</p><h2>Corrections</h2><p>Found a mistake? Write to "
        '<a href="mailto:corrections@example.org">corrections@example.org</a> with the story\'s address '
        "and what is wrong. We answer every message.</p><h2>Comments</h2><p>Questions about a moderation "
        'decision go to <a href="mailto:moderation@example.org">moderation@example.org</a>.</p>',
    },
    {
        "slug": "privacy",
        "title": "Privacy",
        "summary": "What this site stores about you, why, and for how long.",
        "body": "<p>We keep as little about readers as we can. This page says everything this site stores "
        "today.</p>"
        "<h2>Reading</h2><p>Reading a story stores nothing about you. We count how often each story is read: "
        "the count is a number per story and day, and keeps no address, cookie or identifier. To count a "
        "read only once per network and day we keep a keyed hash, never the address itself, for that "
        "day.</p>"
        "<h2>Comments</h2><p>When you comment we store the name you give (shown with your comment), your "
        "email address (never shown; used only to reach you about your comment, kept as long as the "
        "comment), and your IP address and browser's user agent, which help moderators stop abuse and are "
        "deleted {comment_data_days} days after you post. Reports of comments are deleted after the same "
        "period.</p>"
        "<h2>Newsletters</h2><p>When you subscribe to a newsletter we store your email address, the "
        "newsletters you chose and when you asked and confirmed. Nothing is sent before you click the link "
        "in our confirmation email; an unconfirmed request is deleted after {newsletter_confirm_days} days. "
        "Every newsletter has an unsubscribe link that works with one click: it deletes that subscription "
        "at once, and your address with your last one. Our newsletters carry no tracking pixels and no "
        "redirected links, so we do not know whether or when you open them. What remains after you leave "
        "is a one-way hash of your address on the record of the issues sent to you, and, if your mail "
        "server refused our mail for good or you reported it as spam, on our do-not-mail list, so that "
        "you are never mailed again.</p>"
        "<h2>Reader accounts</h2><p>An account is optional. For one we store your email address "
        "(to sign you in, send sign-in codes and password resets; never shown), your password as a salted "
        "hash (never the password itself), the display name your comments appear under, and when you "
        "joined and last signed in. An account whose email address is not confirmed within "
        "{unverified_account_days} days is deleted. Your account page downloads everything we hold about "
        "you as a file (JSON) and deletes the account at once: your published comments then stay, so that "
        "replies keep their sense, under the name “{deleted_reader_name}” with no email or link to you; "
        "comments not published are deleted with it. Backups made before a deletion are kept for their "
        "usual period and never restored into the live site for your data.</p>"
        "<h2>Cookies and storage</h2><p>Readers get no cookie unless they write or recommend a comment, "
        "subscribe to a newsletter or sign in: a security cookie that protects the form, a one-time message "
        "after sending, and, when you recommend a comment without an account, a random token that lets us "
        "count you once (we keep only a one-way hash of it). Signing in adds a session cookie and a small "
        "marker cookie (it says only that someone is signed in, so that pages can still come from our "
        "cache); both go when you sign out. If you hide a breaking news banner or recommend a comment, your "
        "browser remembers that in its own local storage; we never see it.</p><h2>Emails about your "
        "comment</h2><p>Only if you tick “Email me when someone replies”: one email per published reply "
        "(and one when a comment that waited for a moderator is published). Every email has a link that "
        "stops them in one click.</p>"
        "<h2>No trackers</h2><p>This site loads no third-party trackers, advertising or analytics scripts. "
        "Embedded videos and posts load nothing from their provider until you click to show them.</p>"
        "<h2>Your rights</h2><p>To see, correct or delete what we hold about you, write to "
        '<a href="mailto:privacy@example.org">privacy@example.org</a>.</p>',
    },
    {
        "slug": "terms",
        "title": "Terms of use",
        "summary": "The rules for using this site and commenting on it.",
        "body": "<p>The stories, pictures and graphics on this site are protected by copyright. You may "
        "link to them and quote short passages with a credit; ask us before republishing more.</p>"
        "<h2>Comments</h2><ul><li>Be civil: no insults, threats or hate.</li><li>Stay on topic.</li>"
        "<li>No advertising or spam.</li></ul><p>Moderators may hold, reject or remove comments that break "
        "these rules, and say why.</p>",
    },
    {
        "slug": "imprint",
        "title": "Imprint",
        "summary": "Who publishes this site.",
        "body": "<p>Newsmag Publishing (placeholder)<br>1 Harbour Street<br>Port Calvera</p>"
        "<h2>Editor-in-chief</h2><p>Responsible for the content: the editor-in-chief (placeholder).</p>"
        '<h2>Contact</h2><p><a href="mailto:newsroom@example.org">newsroom@example.org</a></p>',
    },
]
