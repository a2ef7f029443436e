"""The demo's live story: a storm crossing the coast, followed update by update over the last hours.

Times are minutes before the demo is loaded. `{image:key}` stands for a demo image's id, as in the
articles' bodies.
"""

LIVE_STORY = {
    "slug": "storm-ilse-live",
    "section": "world",
    "kicker": "Live",
    "headline": "Storm Ilse reaches the coast: ferries halted, Port Arrun braces for the surge",
    "dek": "Gusts of up to 130 km/h along the coast; the evening's high tide is the moment to watch.",
    "body": "<p>Storm Ilse made landfall south of Port Arrun this afternoon. Our reporters are following it "
    "along the coast; the newest updates are at the top.</p>",
    "summary": "<ul><li>Gusts of up to 130 km/h measured at the lighthouse</li>"
    "<li>All ferry crossings halted until tomorrow morning</li>"
    "<li>Evacuation centres open in the old town and at the harbour school</li>"
    "<li>High tide at 19:40 is expected to bring the highest water</li></ul>",
    "authors": ["maria-keller", "tomas-brandt"],
    "tags": ["storm", "weather"],
    "started_minutes_ago": 300,
}

# (minutes ago, author slug, headline, body, key event)
LIVE_UPDATES = [
    (295, "maria-keller", "Storm warning raised to red", "<p>The weather service has raised its warning for "
     "the coast to red, the highest level. Residents of the harbour streets are asked to stay indoors from "
     "16:00.</p>", True),
    (270, "tomas-brandt", "", "<p>Queues at the petrol station on the ring road; the supermarket on Quay "
     "Street has run out of bottled water.</p>", False),
    (245, "maria-keller", "Ferries halted", "<p>The ferry company has cancelled every crossing until "
     "tomorrow morning. The last boat from the islands came in half an hour late, crew soaked but "
     "cheerful.</p><figure data-image=\"{image:quay-street-ferry}\" data-layout=\"column\"></figure>", False),
    (220, "tomas-brandt", "", "<p>Wind is picking up noticeably on the promenade. Shop owners are "
     "boarding up windows.</p>", False),
    (195, "maria-keller", "Evacuation centres open", "<p>The town has opened two evacuation centres: the "
     "old town hall and the harbour school. Both take pets.</p><ul><li>Old town hall, Market Square</li>"
     "<li>Harbour school, Dock Road 4</li></ul>", False),
    (170, "tomas-brandt", "", "<p>The lighthouse station measured a gust of 118 km/h a few minutes "
     "ago.</p>", False),
    (140, "maria-keller", "", "<blockquote><p>We have sandbagged the door twice over. Now we wait.</p>"
     "</blockquote><p>Anna Berg, who runs the bakery on Quay Street, on the evening ahead.</p>", False),
    (115, "tomas-brandt", "Storm makes landfall south of Port Arrun", "<p>The centre of the storm crossed "
     "the coast at 15:05, about twelve kilometres south of the town. Gusts of 130 km/h were measured at "
     "the lighthouse.</p><figure data-image=\"{image:river-delta}\" data-layout=\"wide\"></figure>", True),
    (90, "maria-keller", "", "<p>Power is out in parts of the old town; the utility says crews will go "
     "out once the wind drops below 80 km/h.</p>", False),
    (60, "tomas-brandt", "", "<p>Fallen trees block the coast road between the harbour and the "
     "campsite. Police ask drivers to avoid it.</p>", False),
    (30, "maria-keller", "", "<p>The river gauge at the delta bridge reads 2.1 metres, rising. The high "
     "tide at 19:40 is the moment the emergency services are watching.</p>", False),
    (8, "tomas-brandt", "Sandbags handed out at the fire station", "<p>Volunteers are filling sandbags at "
     "the fire station on Dock Road; residents can collect up to ten each.</p>", False),
]  # fmt: skip
