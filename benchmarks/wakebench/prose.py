"""What the box hears when nobody is talking to it: ordinary prose, read aloud.

Thirty short paragraphs in the manner of an audiobook, a radio programme or a conversation in
the room, written for this benchmark (no copyright to track). Several hold near-misses a
wake-word model could take for "Hey Jarvis": "hey" on its own, "Jarvis" on its own, "Travis",
"Harvey", "service", "harvest", "nervous", "carve it", "hey, Travis", "hey, there". They are
there on purpose: a detector that fires on them would wake the box during ordinary talk. No
paragraph contains the wake phrase itself.
"""

from __future__ import annotations

PARAGRAPHS: tuple[str, ...] = (
    "The river runs past the old mill and under the stone bridge before it reaches the sea. "
    "In the spring the fields along its banks turn green, and the farmers plant potatoes and "
    "beans. By the end of summer the water is low and slow, and children wade across it to "
    "the island where the herons nest.",
    "Hey, Travis, did you remember to bring the map? We turned left at the church, but the "
    "road to the lake was closed for repairs. The man at the petrol station said we could "
    "take the forest track instead, as long as we drove slowly and kept an eye out for deer.",
    "Jarvis was the name of the butler in the old house on the hill. He polished the silver "
    "every Thursday and wound the clocks on Sunday evenings. Nobody remembered his first "
    "name, and when he retired the family gave him a gold watch and a small cottage by the "
    "orchard.",
    "The harvest festival begins on the first Saturday of October. The village hall is "
    "decorated with sheaves of wheat, baskets of apples and enormous pumpkins. After the "
    "service in the church there is a supper of soup, bread and cheese, and a band plays "
    "until midnight.",
    "Customer service told me the parcel would arrive on Tuesday, but it never came. I called "
    "again on Wednesday and waited forty minutes on hold, listening to the same piece of "
    "music over and over. In the end they sent a new one, and the first parcel turned up the "
    "next morning as well.",
    "Hey there, how was your weekend? We went to the coast with my parents and stayed in a "
    "little guest house above a bakery. Every morning the smell of fresh bread came up "
    "through the floorboards, and we ate far too many croissants.",
    "Harvey said he would visit his sister in Paris when the weather is warmer. She lives "
    "on the fourth floor of a narrow building near the canal, with a balcony full of "
    "geraniums. From there you can watch the barges go through the lock and the people "
    "cycling to work.",
    "To make the soup, chop two onions and a clove of garlic and soften them in butter. Add "
    "the carrots, the stock and a bay leaf, and let it simmer for twenty minutes. Blend it "
    "until smooth, season it with salt and pepper, and serve it with a spoonful of cream.",
    "The train was delayed by half an hour because of a signal failure outside the station. "
    "Most of the passengers took it calmly. A woman across the aisle knitted a blue scarf, "
    "and a boy with a violin case practised his scales under his breath, tapping his foot.",
    "I was nervous before the interview, so I went for a walk around the block. The "
    "receptionist offered me a glass of water and told me not to worry. The questions were "
    "easier than I expected, and they called me the same afternoon to say I had the job.",
    "Jars of jam were sold at the market on Saturday, next to the bread and the cheese. The "
    "strawberry ones went first, then the plum and the rhubarb. By noon there were only a "
    "few jars of marmalade left, and the stall holder gave them away to the last customers.",
    "The museum has a new exhibition about the history of flight. There are kites from "
    "China, drawings of flying machines, a balloon basket and the wooden propeller of an "
    "early aeroplane. Visitors can sit in a simulator and try to land a small plane in a "
    "crosswind.",
    "Hey, hey, slow down, said the old man as the dog pulled at its lead. It had seen a cat "
    "on the garden wall and wanted nothing more in the world than to chase it. The cat "
    "yawned, stretched, and walked away along the top of the wall as if nothing had happened.",
    "Travis and Jarvis are both surnames that come from old English villages. Many family "
    "names tell us where people lived or what work they did: Baker, Smith, Carter, Fletcher "
    "and Thatcher. Others come from a father's first name, like Johnson or Davies.",
    "The library closes early on Fridays, so I returned my books on Thursday evening. The "
    "librarian recommended a detective novel set in Venice, and I read half of it on the "
    "bus home. The murderer, I am fairly sure, is the quiet cousin who keeps the accounts.",
    "Our neighbours are building an extension at the back of their house. For three weeks "
    "there has been drilling from eight in the morning until five. They brought us a cake "
    "to apologise, which was very kind, and they promise the work will be finished by May.",
    "When you carve the chicken, start with the legs and then the wings. Carve it against "
    "the grain, in thin slices, and keep the carcass for stock. A sharp knife matters more "
    "than strength, and a board with a groove stops the juice from running onto the table.",
    "The weather tomorrow will be mostly cloudy, with showers spreading from the west in the "
    "afternoon. Winds will be light at first, becoming fresh later. Temperatures will be a "
    "little below normal for the time of year, and there may be frost in sheltered valleys.",
    "In the evening we sat on the porch and listened to the crickets. My grandfather told "
    "stories about the winter the lake froze solid and people drove their cars across it. "
    "Nobody knew whether to believe him, but it was a good story, and he told it well.",
    "The football match ended in a draw after a dramatic last ten minutes. The visitors "
    "scored from a corner in the eighty-fifth minute, and the home side equalised with a "
    "penalty in added time. The manager said afterwards that a point was a fair result.",
    "Marvin has been learning the piano for two years now. He practises every day after "
    "school, mostly scales and short pieces by Bach. His teacher says he has a good ear, and "
    "next month he will play in a concert at the town hall with the other students.",
    "Hey, is anyone home? I knocked twice but nobody answered. The lights were on and the "
    "radio was playing in the kitchen, so I left the parcel by the back door and a note on "
    "the mat. If it rains tonight, I hope somebody finds it before it gets wet.",
    "Sales in the third quarter were slightly higher than expected. The service division "
    "grew by four percent, while hardware stayed flat. The board will meet in November to "
    "discuss the budget for next year and the plans for a new office in the north.",
    "The garden needs work before the spring. The hedge must be trimmed, the roses pruned, "
    "and the shed painted. My wife wants a vegetable patch where the lawn is thinnest, and I "
    "have promised to dig it over this weekend if the ground is not too hard.",
    "Jarvis, my cousin's cat, is afraid of the vacuum cleaner. As soon as he hears it he "
    "runs upstairs and hides under the bed. He comes out only when the house is quiet "
    "again, and then he walks around the rooms as if he owned every one of them.",
    "A harvest moon is the full moon closest to the autumn equinox. It rises soon after "
    "sunset for several evenings in a row, so farmers once had extra light to bring in "
    "their crops. It often looks orange and very large when it is low over the horizon.",
    "The hotel room was small but clean, with a view of the harbour. In the morning the "
    "fishing boats came in followed by gulls, and the fish market opened on the quay. We "
    "had coffee on the terrace and watched the ferry leave for the islands.",
    "Have you ever tried to fold a fitted sheet? It is one of the great mysteries of "
    "household life. My mother could do it in ten seconds, with perfect corners. I roll "
    "mine into a ball and push it to the back of the cupboard, and hope nobody looks.",
    "The bus service on Sundays runs every hour instead of every twenty minutes. If you miss "
    "the ten o'clock bus, it is quicker to walk to the station along the canal path. It "
    "takes about half an hour and you pass two pubs and a very friendly horse.",
    "Hey Travis, hey Mavis, come and look at this, shouted Jack from the end of the pier. A "
    "seal had come up between the boats and was watching them with its large dark eyes. It "
    "stayed for a minute, then slid under the water and was gone.",
)
