"""Writes tests/data/staff_categories.jsonl: staff-style posts labelled by category (issue 21)."""
# ruff: noqa: E501  (the posts are data: one post, one line, however long)

# Every sentence below was written for this project; every person, school and place in
# it is invented. A template belongs to exactly one split (its position in its list,
# see `_split`), so no sentence frame of the test split is ever seen in train or val:
# only the slot fillers (names, days, subjects) are shared.

from __future__ import annotations

import json
import random
import sys
from pathlib import Path

OUT = Path(__file__).with_name("staff_categories.jsonl")
SEED = 21
FILLS = {"clean": 7, "offensive": 6}
# How real posts open and close; a sentence frame stays one template whatever its dressing.
OPENERS = (
    "",
    "",
    "",
    "Ugh. ",
    "Honestly, ",
    "Not gonna lie, ",
    "Long day. ",
    "Update: ",
    "So. ",
    "Well. ",
    "Friday thoughts: ",
    "Real talk: ",
)
CLOSERS = (
    "",
    "",
    "",
    " lol",
    " #teacherlife",
    " 🙃",
    " Anyway.",
    " 😂",
    " Just saying.",
    " #mondays",
    " Thoughts?",
    " 🤷",
)

SLOTS: dict[str, tuple[str, ...]] = {
    "n": (
        "Jaylen",
        "Brynn",
        "Tavi",
        "Marisol",
        "Oakley",
        "Dariel",
        "Keziah",
        "Fenn",
        "Liora",
        "Quin",
        "Rowan",
        "Esai",
        "Noor",
        "Callum",
        "Yesenia",
        "Bodhi",
    ),
    "c": (
        "Mr. Halvorsen",
        "Ms. Quarry",
        "Coach Dunleavy",
        "Mrs. Okafor-Reyes",
        "Mr. Tindall",
        "Ms. Abernathy",
        "Dr. Sorensby",
        "Mrs. Pellow",
        "Mr. Vantongeren",
        "Ms. Yarrow",
    ),
    "p": (
        "Harlow Creek",
        "Millbrook",
        "Fennimore Flats",
        "East Calder",
        "Brindle Point",
        "Ostrander",
        "Lake Wendell",
        "Pruett Valley",
    ),
    "s": (
        "Ridgeview Middle",
        "Calder Elementary",
        "Wendell High",
        "Brindle Point Academy",
        "Ostrander Junior High",
        "Fennimore Flats Elementary",
    ),
    "d": (
        "Monday",
        "Tuesday",
        "Wednesday",
        "Thursday",
        "Friday",
        "today",
        "this morning",
        "last night",
    ),
    "sub": (
        "algebra",
        "chemistry",
        "US history",
        "English 9",
        "biology",
        "art",
        "Spanish",
        "PE",
        "geometry",
        "world history",
    ),
    "k": (
        "3rd period",
        "6th period",
        "my homeroom",
        "the 4th graders",
        "my 7th graders",
        "2nd period",
        "the sophomores",
        "my advisory",
    ),
    "t": (
        "JV volleyball",
        "the varsity boys",
        "the girls' soccer team",
        "cross country",
        "the wrestling squad",
        "the 8th grade hoops team",
        "the swim team",
    ),
}

# (template, target, voice, page) per category; categories of a row may be several.
T = tuple[str, str, str, str]
OFFENSIVE: dict[str, list[T]] = {
    "profanity_insult": [
        (
            "{c} is a useless sack of shit and everyone in this building knows it.",
            "colleagues",
            "teacher",
            "personal",
        ),
        (
            "Parent conference with the dumbest mother alive {d}. How is she raising anyone?",
            "parents",
            "teacher",
            "personal",
        ),
        ("{k} is full of brain-dead little idiots. I give up.", "students", "teacher", "personal"),
        (
            "What a f***ing joke of a staff meeting. {c} can kiss my ass.",
            "colleagues",
            "teacher",
            "personal",
        ),
        (
            "Some kids are just born stupid. {n} in {k} proves it daily.",
            "students",
            "teacher",
            "personal",
        ),
        (
            "These helicopter parents at {s} are a bunch of whiny morons.",
            "parents",
            "admin",
            "personal",
        ),
        (
            "Shit show of a day. Half of {k} are lazy little brats who can't read.",
            "students",
            "teacher",
            "personal",
        ),
        (
            "{c} is a pathetic excuse for a teacher, an absolute clown.",
            "colleagues",
            "teacher",
            "personal",
        ),
        (
            "Bus duty with the dumbass parents who can't follow one sign. Idiots, all of them.",
            "parents",
            "aide",
            "personal",
        ),
        (
            "Honestly {n}'s dad is a total jackass. No wonder the kid is a mess.",
            "parents",
            "teacher",
            "personal",
        ),
        (
            "My {t} played like garbage tonight. Bunch of worthless losers.",
            "students",
            "coach",
            "personal",
        ),
        (
            "Screw {s} and screw every idiot in the district office.",
            "colleagues",
            "teacher",
            "personal",
        ),
        (
            "If one more moron parent emails me about grades I will lose it. Damn these people.",
            "parents",
            "teacher",
            "personal",
        ),
        ("{c} is such a b*tch, she stole my copier slot again.", "colleagues", "aide", "personal"),
        (
            "Grading {sub} tests and wow, these kids are thick as bricks. Dumbest class I've ever had.",
            "students",
            "teacher",
            "personal",
        ),
        (
            "The new principal is a clueless asshole. Pass it on.",
            "colleagues",
            "teacher",
            "personal",
        ),
        (
            "{n} is the most annoying little shit I have ever taught.",
            "students",
            "teacher",
            "personal",
        ),
        (
            "PTA moms are a pack of stuck-up witches. Sorry not sorry.",
            "parents",
            "aide",
            "personal",
        ),
        (
            "Our front office is run by incompetent idiots. F*** this place.",
            "colleagues",
            "aide",
            "personal",
        ),
        ("{k} = zoo animals. Stupid, loud and useless.", "students", "teacher", "personal"),
    ],
    "harassment_threat": [
        (
            "If {n} mouths off to me one more time I swear I will smack that kid across the room.",
            "students",
            "teacher",
            "personal",
        ),
        (
            "Somebody should slash {c}'s tires in the staff lot. Just saying.",
            "colleagues",
            "teacher",
            "personal",
        ),
        (
            "{n}'s mom better watch her back. I know where she lives.",
            "parents",
            "teacher",
            "personal",
        ),
        (
            "Next kid who talks during my test gets thrown against the lockers.",
            "students",
            "teacher",
            "personal",
        ),
        (
            "I am going to make {c}'s life hell until she quits. Watch me.",
            "colleagues",
            "teacher",
            "personal",
        ),
        (
            "Honestly some of these kids need a good beating. {n} first in line.",
            "students",
            "coach",
            "personal",
        ),
        (
            "Keep pushing me {c} and you'll find out what happens in the parking lot.",
            "colleagues",
            "coach",
            "personal",
        ),
        (
            "I'd love to strangle half of {k}. Just wring their little necks.",
            "students",
            "teacher",
            "personal",
        ),
        (
            "That dad who yelled at me {d}: I'll be waiting outside after the game. Come find out.",
            "parents",
            "coach",
            "personal",
        ),
        (
            "Posting {n}'s address so everyone knows where the little liar lives.",
            "students",
            "aide",
            "personal",
        ),
        (
            "One more complaint from {c} and I bring a bat to work.",
            "colleagues",
            "aide",
            "personal",
        ),
        (
            "Gonna make {n} cry in front of the whole class tomorrow. Kid deserves it.",
            "students",
            "teacher",
            "personal",
        ),
        (
            "If I see that parent at pickup again I'll punch him in the face.",
            "parents",
            "aide",
            "personal",
        ),
        (
            "Kids who miss practice get the belt from me. Old school.",
            "students",
            "coach",
            "personal",
        ),
        (
            "Everyone go leave nasty comments on {c}'s page, let's run her out of {s}.",
            "colleagues",
            "teacher",
            "personal",
        ),
        (
            "I'm going to hurt the next kid who steals from my room. Seriously hurt them.",
            "students",
            "teacher",
            "personal",
        ),
        (
            "{n} better pray I'm not on lunch duty tomorrow. I will end that child.",
            "students",
            "aide",
            "personal",
        ),
        (
            "Would pay money to see {c} fall down the stairs. Might help it along.",
            "colleagues",
            "teacher",
            "personal",
        ),
        (
            "Told {n} in front of {k} that nobody would miss him if he disappeared.",
            "students",
            "teacher",
            "personal",
        ),
        (
            "That mother keeps calling me. Next time I'll show up at her door and she'll regret it.",
            "parents",
            "teacher",
            "personal",
        ),
    ],
    "sexual": [
        (
            "{c} in that skirt today... can't focus on anything else, damn she's hot.",
            "colleagues",
            "teacher",
            "personal",
        ),
        (
            "Some of the senior girls dress way too sexy for class, not complaining though.",
            "students",
            "teacher",
            "personal",
        ),
        (
            "{n}'s mom at conferences, wow. I'd like a private meeting with her if you know what I mean.",
            "parents",
            "teacher",
            "personal",
        ),
        (
            "The new student teacher has a great body. Lunch duty just got a lot better.",
            "colleagues",
            "teacher",
            "personal",
        ),
        (
            "Rate the hottest moms at pickup, I'll start: {n}'s mom is a 10.",
            "parents",
            "aide",
            "personal",
        ),
        (
            "Had a dream about {c} last night and it was NOT safe for work.",
            "colleagues",
            "teacher",
            "personal",
        ),
        (
            "Yeah {n} is a junior but she looks 21 and she knows it.",
            "students",
            "coach",
            "personal",
        ),
        (
            "Staff party tonight, hoping to get {c} alone in the supply closet.",
            "colleagues",
            "teacher",
            "personal",
        ),
        (
            "Those cheer practice shorts should be illegal, the view from the bleachers is something.",
            "students",
            "coach",
            "personal",
        ),
        (
            "{c} was flirting with me all through PD. Bet she's wild in bed.",
            "colleagues",
            "teacher",
            "personal",
        ),
        (
            "Not gonna lie, a couple of the 12th grade girls are seriously attractive.",
            "students",
            "teacher",
            "personal",
        ),
        (
            "DM me if you want to see the pics {c} sent me. Spicy.",
            "colleagues",
            "teacher",
            "personal",
        ),
        (
            "{n}'s dad is so fine I 'accidentally' scheduled three conferences.",
            "parents",
            "teacher",
            "personal",
        ),
        (
            "Told {c} her blouse was distracting and she should undo another button.",
            "colleagues",
            "admin",
            "personal",
        ),
        (
            "The volleyball girls in spandex, best part of being assistant coach lol.",
            "students",
            "coach",
            "personal",
        ),
        (
            "Anyone else think about hooking up with {c}? Asking for me.",
            "colleagues",
            "aide",
            "personal",
        ),
        ("Hot single moms of {s}, my inbox is open.", "parents", "teacher", "personal"),
        (
            "{n} keeps staying after class to flirt with me and honestly I don't hate it.",
            "students",
            "teacher",
            "personal",
        ),
        (
            "{c} bent over the copier and I nearly forgot my own name.",
            "colleagues",
            "teacher",
            "personal",
        ),
        (
            "Sent {n} a message about how good she looked at prom. Kid's a knockout.",
            "students",
            "teacher",
            "personal",
        ),
    ],
    "bigotry": [
        (
            "Those people from across the border are animals. We shouldn't have to teach their kids.",
            "groups",
            "teacher",
            "personal",
        ),
        (
            "Immigrants are vermin breeding in our neighborhoods and ruining {s}.",
            "groups",
            "teacher",
            "personal",
        ),
        (
            "Gay people are disgusting and shouldn't be allowed near children.",
            "groups",
            "coach",
            "personal",
        ),
        (
            "Muslims are a plague and every one of them is a terrorist in waiting.",
            "groups",
            "aide",
            "personal",
        ),
        (
            "Trans kids are mentally ill freaks and I refuse to use their pronouns.",
            "groups",
            "teacher",
            "personal",
        ),
        (
            "Our town was fine before the Mexicans moved in. Now it's a dump.",
            "groups",
            "admin",
            "personal",
        ),
        ("Jews control the school board, wake up {p}.", "groups", "teacher", "personal"),
        (
            "Black families in {p} just don't value education. It's in their culture.",
            "groups",
            "teacher",
            "personal",
        ),
        (
            "Women shouldn't coach boys' sports. Too emotional, too weak, end of story.",
            "groups",
            "coach",
            "personal",
        ),
        (
            "Refugees are parasites living off our tax dollars. Send them all back.",
            "groups",
            "aide",
            "personal",
        ),
        (
            "The disabled kids drag everyone down. Why waste money on retards?",
            "groups",
            "teacher",
            "personal",
        ),
        ("Asians are all the same, robots who cheat on tests.", "groups", "teacher", "personal"),
        (
            "Lesbians teaching kindergarten? Sick. Keep those perverts away from our kids.",
            "groups",
            "teacher",
            "personal",
        ),
        ("Arabs are savages, I said what I said.", "groups", "coach", "personal"),
        (
            "Poor kids from the trailer park are trash raising trash.",
            "groups",
            "teacher",
            "personal",
        ),
        ("Natives in {p} are drunks and thieves, every last one.", "groups", "aide", "personal"),
        (
            "Hindus smell and the whole new family in my class proves it.",
            "groups",
            "teacher",
            "personal",
        ),
        (
            "Africans are barely human, you can't teach them anything.",
            "groups",
            "teacher",
            "personal",
        ),
        ("Gay teachers are groomers. Fire all of them.", "groups", "admin", "personal"),
        (
            "Illegals are criminals and their kids are future criminals. Don't @ me.",
            "groups",
            "teacher",
            "personal",
        ),
    ],
    "alcohol_drugs": [
        (
            "Still drunk from last night and I have {k} in ten minutes lol.",
            "none",
            "teacher",
            "personal",
        ),
        (
            "Hungover as hell at car line. Six tequila shots was a mistake.",
            "none",
            "aide",
            "personal",
        ),
        (
            "Smoked a fat joint before {sub}. Best lesson I've ever taught.",
            "none",
            "teacher",
            "personal",
        ),
        (
            "Vodka in my water bottle is the only way I survive parent night.",
            "none",
            "teacher",
            "personal",
        ),
        (
            "Blackout wasted at the bar {d}, don't remember getting home. Worth it!",
            "none",
            "coach",
            "personal",
        ),
        (
            "Took an edible during my planning period and now the bell schedule is hilarious.",
            "none",
            "teacher",
            "personal",
        ),
        (
            "Got so hammered at {c}'s place, still seeing double during first period.",
            "none",
            "teacher",
            "personal",
        ),
        (
            "Keep a flask in my desk drawer for emergencies. Every day is an emergency.",
            "none",
            "teacher",
            "personal",
        ),
        ("Who wants to buy some weed? Hit me up, staff discount.", "none", "aide", "personal"),
        (
            "Did a couple lines at the concert {d}, came straight to work. No sleep, no regrets.",
            "none",
            "coach",
            "personal",
        ),
        (
            "Beer pong tournament in my classroom after the kids leave. Bring your own.",
            "none",
            "teacher",
            "personal",
        ),
        (
            "Day drinking on a school day because it's a half day. Cheers!",
            "none",
            "teacher",
            "personal",
        ),
        (
            "Popped a couple of my friend's Xanax to get through testing week.",
            "none",
            "teacher",
            "personal",
        ),
        (
            "Wine mom of {k} here, three bottles deep and grading like a champ.",
            "none",
            "teacher",
            "personal",
        ),
        ("Rolling on molly at the festival, see you Monday kids!", "none", "teacher", "personal"),
        (
            "I drank a six-pack in the parking lot before the game and still coached better than the refs.",
            "none",
            "coach",
            "personal",
        ),
        (
            "So stoned at the staff meeting that {c}'s slides were speaking to me.",
            "none",
            "teacher",
            "personal",
        ),
        ("Shotgunned two beers before bus duty, feeling no pain.", "none", "aide", "personal"),
        (
            "Got wasted with some of the seniors after graduation, fun night.",
            "students",
            "teacher",
            "personal",
        ),
        (
            "Mixing rum into my coffee during lunch so {k} is tolerable.",
            "none",
            "teacher",
            "personal",
        ),
    ],
    "misconduct": [
        (
            "Didn't grade a single {sub} essay, just gave everyone a B. Nobody checks.",
            "students",
            "teacher",
            "personal",
        ),
        (
            "Left {k} alone for 40 minutes to go to the gym. They were fine, probably.",
            "students",
            "teacher",
            "personal",
        ),
        (
            "Called in sick to go to the lake {d}. Sub can deal with my crazies.",
            "none",
            "teacher",
            "personal",
        ),
        (
            "Changed {n}'s grade to a passing one so the coach would stop bugging me.",
            "students",
            "teacher",
            "personal",
        ),
        (
            "Slept through my whole planning period and then through half of {k} too.",
            "students",
            "teacher",
            "personal",
        ),
        (
            "Gave the answers to the state test to my kids ahead of time. Our scores will look great.",
            "students",
            "teacher",
            "personal",
        ),
        (
            "Nobody noticed I skipped recess duty again. Kids can watch themselves.",
            "students",
            "aide",
            "personal",
        ),
        (
            "Played movies all week in {sub} so I could shop online. Best week ever.",
            "students",
            "teacher",
            "personal",
        ),
        (
            "Marked {n} present all month even though the kid never shows up. Less paperwork.",
            "students",
            "teacher",
            "personal",
        ),
        (
            "Drove the team bus after a couple of drinks, we made it home, relax.",
            "students",
            "coach",
            "personal",
        ),
        (
            "Let my student aide grade all my quizzes and enter them in the gradebook with my login.",
            "students",
            "teacher",
            "personal",
        ),
        (
            "Threw out a stack of late assignments without reading them. Zeros for all.",
            "students",
            "teacher",
            "personal",
        ),
        (
            "I never actually checked the IEP accommodations, who has time.",
            "students",
            "teacher",
            "personal",
        ),
        (
            "Left the field early and the last kids waited two hours for a ride. Not my job.",
            "students",
            "coach",
            "personal",
        ),
        (
            "Bumped every athlete to a C so they'd stay eligible for playoffs.",
            "students",
            "teacher",
            "personal",
        ),
        ("Faked the fire drill log again, we didn't actually do one.", "none", "admin", "personal"),
        (
            "Worked high all day and no one could tell. Lesson plans? Never heard of them.",
            "none",
            "teacher",
            "personal",
        ),
        (
            "Took {n}'s phone home and read the texts. Juicy stuff.",
            "students",
            "teacher",
            "personal",
        ),
        (
            "Copied last year's report card comments for every kid, changed the names only.",
            "students",
            "teacher",
            "personal",
        ),
        (
            "Clocked in and went straight back to my car to nap until lunch.",
            "none",
            "aide",
            "personal",
        ),
    ],
}

CLEAN: list[T] = [
    (
        "Health class {d}: how alcohol affects the teenage brain, and how to say no at a party.",
        "none",
        "teacher",
        "school",
    ),
    (
        "Reminder: flu shots and COVID boosters at the {s} clinic {d}, no appointment needed.",
        "none",
        "admin",
        "school",
    ),
    (
        "{t} took 22 shots on goal tonight and the keeper stopped them all. Proud of the effort.",
        "none",
        "coach",
        "school",
    ),
    (
        "This lesson on fractions is going to be killer, the kids are going to love it.",
        "none",
        "teacher",
        "personal",
    ),
    (
        "In US history we read primary sources from 1963, including the slurs shouted at the marchers, and talked about why words wound.",
        "none",
        "teacher",
        "school",
    ),
    (
        "Our English 12 unit on The Color Purple deals with sexual abuse; permission slips went home {d}.",
        "none",
        "teacher",
        "school",
    ),
    (
        "Told {t}: we got beat because we were lazy on defense. Tomorrow we run until we fix it.",
        "none",
        "coach",
        "personal",
    ),
    (
        "Lovely dinner with my husband at a little Italian place in {p}, a glass of wine and tiramisu.",
        "none",
        "teacher",
        "personal",
    ),
    (
        "Vaping prevention assembly this week: the counselor will explain nicotine addiction and the CATCH My Breath program.",
        "none",
        "admin",
        "school",
    ),
    (
        "Crushed it at the {p} 10K this morning! Legs are dead but I'm happy.",
        "none",
        "coach",
        "personal",
    ),
    (
        "We dissected frogs in {sub} and {k} absolutely slayed the lab report.",
        "none",
        "teacher",
        "school",
    ),
    (
        "The kids killed it at the spring concert {d}. So proud of every single one.",
        "none",
        "teacher",
        "school",
    ),
    (
        "My 4th graders are learning about the Holocaust through Number the Stars; we talk about how hatred of Jews became law.",
        "none",
        "teacher",
        "school",
    ),
    (
        "Hit the weights hard with {t} today. No excuses, no shortcuts, just work.",
        "none",
        "coach",
        "school",
    ),
    (
        "Drug Awareness Week: DARE officers visit every 5th grade class {d}.",
        "none",
        "admin",
        "school",
    ),
    (
        "Grading 90 essays this weekend with a big pot of coffee. Send snacks.",
        "none",
        "teacher",
        "personal",
    ),
    (
        "Anyone have a good lesson on the Prohibition era? Bootleggers, speakeasies, the 21st Amendment.",
        "none",
        "teacher",
        "personal",
    ),
    (
        "Our Romeo and Juliet unit starts {d}. Yes, we'll discuss the bawdy jokes in Act 2, it's Shakespeare.",
        "none",
        "teacher",
        "school",
    ),
    (
        "Brewery tour in {p} with my sister for her birthday, tasted a great stout.",
        "none",
        "aide",
        "personal",
    ),
    (
        "The nurse will give the Tdap and meningitis shots to 7th graders {d}; forms due Friday.",
        "none",
        "admin",
        "school",
    ),
    (
        "Coach talk: if you skip practice you don't start. Same rule for everyone, captains included.",
        "none",
        "coach",
        "school",
    ),
    (
        "That was a killer workout, {c}. Who's in for 6am bootcamp tomorrow?",
        "none",
        "coach",
        "personal",
    ),
    (
        "Talked with {k} about the n-word in Huck Finn: why Twain used it and why we don't say it aloud.",
        "none",
        "teacher",
        "school",
    ),
    (
        "Sex ed unit begins next week in health; parents can preview the curriculum in the main office.",
        "none",
        "teacher",
        "school",
    ),
    (
        "Proud to march in the {p} Pride parade with my wife and our kids.",
        "none",
        "teacher",
        "personal",
    ),
    (
        "Our Muslim students' families hosted an iftar for staff, such a generous evening.",
        "none",
        "admin",
        "school",
    ),
    (
        "Champagne toast at my brother's wedding {d}, danced until midnight.",
        "none",
        "teacher",
        "personal",
    ),
    (
        "The biology unit covers reproduction and puberty; questions go in the anonymous box.",
        "none",
        "teacher",
        "school",
    ),
    (
        "We lost 3-1 but I told the girls I'm proud of the fight. Ice, sleep, film session Monday.",
        "none",
        "coach",
        "school",
    ),
    (
        "Chemistry lab on ethanol fermentation, goggles on, no tasting, obviously.",
        "none",
        "teacher",
        "school",
    ),
    (
        "Big shout out to {c} for covering my duty {d}. You're a lifesaver!",
        "none",
        "teacher",
        "personal",
    ),
    (
        "Opioid overdose training for all staff {d}; the nurse will show how to give Narcan.",
        "none",
        "admin",
        "school",
    ),
    (
        "Finished The Kite Runner with {k}. The rape scene led to a mature, careful discussion.",
        "none",
        "teacher",
        "school",
    ),
    (
        "As a Black teacher in {p}, I want my students to see themselves in what we read.",
        "none",
        "teacher",
        "personal",
    ),
    (
        "My trans son started high school this fall and his teachers have been wonderful.",
        "none",
        "aide",
        "personal",
    ),
    (
        "Free throws were ugly tonight. We will shoot 100 a day until they're not. Love these guys.",
        "none",
        "coach",
        "personal",
    ),
    (
        "Hunting season opener with my dad in {p}, got a nice buck and one clean shot.",
        "none",
        "coach",
        "personal",
    ),
    ("Got my booster shot {d}, arm is sore but I'm fine. Get yours!", "none", "aide", "personal"),
    (
        "Parents: the {sub} final is cumulative. Please help your child make a study plan.",
        "parents",
        "teacher",
        "school",
    ),
    (
        "My gay and lesbian students deserve a safe classroom and they will have one with me.",
        "none",
        "teacher",
        "personal",
    ),
    (
        "Civics debate {d}: should the drinking age be lowered to 18? Great arguments both sides.",
        "none",
        "teacher",
        "school",
    ),
    (
        "We read about the Rwandan genocide and how radio called people 'cockroaches' to make killing easier.",
        "none",
        "teacher",
        "school",
    ),
    ("{n} was named player of the week! Hard work pays off.", "students", "coach", "school"),
    (
        "Margarita night with the book club in {p}. We finally finished that 600-page novel.",
        "none",
        "teacher",
        "personal",
    ),
    (
        "Asthma inhalers and EpiPens must be on file with the nurse before the field trip.",
        "none",
        "admin",
        "school",
    ),
    (
        "That test was brutal, {k}, I know. We'll go over it together tomorrow.",
        "students",
        "teacher",
        "school",
    ),
    (
        "Mixed doubles at the {p} courts, I'm getting destroyed by my 70-year-old neighbor.",
        "none",
        "aide",
        "personal",
    ),
    (
        "Health lesson: reading labels on energy drinks, caffeine and sugar. Eye-opening for {k}.",
        "none",
        "teacher",
        "school",
    ),
    (
        "The immigration unit: families from {p} shared their stories of coming to the US.",
        "none",
        "teacher",
        "school",
    ),
    (
        "Taught the kids the word 'bastard' in King Lear means a child born outside marriage. Giggles ensued.",
        "none",
        "teacher",
        "school",
    ),
    (
        "Pep talk to {t}: nobody outworks us. Nobody. Now go get some sleep.",
        "none",
        "coach",
        "school",
    ),
    (
        "Wine and paint night fundraiser for the {s} PTO, Friday at 7. Adults only, tickets $25.",
        "none",
        "admin",
        "school",
    ),
    (
        "We toured the history museum exhibit on Japanese American internment. Powerful day.",
        "none",
        "teacher",
        "school",
    ),
    (
        "Our counselor is running a support group for kids whose parents struggle with addiction.",
        "none",
        "admin",
        "school",
    ),
    (
        "So tired I could sleep for a week. Conferences run until 8 tonight.",
        "none",
        "teacher",
        "personal",
    ),
    (
        "I'm dying laughing at the Halloween costumes in {k}. A whole row of tiny Einsteins.",
        "none",
        "teacher",
        "personal",
    ),
    (
        "Ran a killer review game in {sub}, a Jeopardy board with buzzers. Total chaos, total learning.",
        "none",
        "teacher",
        "school",
    ),
    (
        "The shooting drills in practice paid off: 12 of 15 from the line tonight.",
        "none",
        "coach",
        "school",
    ),
    (
        "Our art class studied Renaissance nudes today. Maturity level: surprisingly high.",
        "none",
        "teacher",
        "school",
    ),
    (
        "Reminder to all staff: no alcohol at the staff picnic, it's on school grounds.",
        "none",
        "admin",
        "school",
    ),
    (
        "Happy hour with my college roommates {d}, one beer and home by eight. I'm old.",
        "none",
        "teacher",
        "personal",
    ),
    (
        "Tough love: I told {n} the essay was sloppy and she can do much better. She rewrote it and it's great.",
        "students",
        "teacher",
        "personal",
    ),
    (
        "Medication policy reminder: only the nurse gives medicine to students, including cough drops.",
        "none",
        "admin",
        "school",
    ),
    (
        "Our Black History Month display honors three scientists from {p}.",
        "none",
        "teacher",
        "school",
    ),
    (
        "Cannabis legalization debate in AP Gov {d}, the kids came ready with data.",
        "none",
        "teacher",
        "school",
    ),
    (
        "Taught the Scarlet Letter today: adultery, shame and a town that loved to judge.",
        "none",
        "teacher",
        "school",
    ),
    ("Whoever left the donuts in the staff lounge, I owe you my life.", "none", "aide", "personal"),
    ("Hate the new schedule, love the kids. That's the job.", "none", "teacher", "personal"),
    (
        "The women's history unit covers the fight for the vote and how suffragettes were mocked.",
        "none",
        "teacher",
        "school",
    ),
    ("Hot chocolate and a fire after a long week. Bliss.", "none", "teacher", "personal"),
    (
        "Wrestling weigh-ins at 6am. Brutal but the guys showed up. Respect.",
        "none",
        "coach",
        "school",
    ),
    (
        "We watched a clip on fetal alcohol syndrome in child development class; very sobering.",
        "none",
        "teacher",
        "school",
    ),
    (
        "A bottle of red, a stack of ungraded quizzes and a Saturday. Grading resumes Sunday.",
        "none",
        "teacher",
        "personal",
    ),
    ("Snowed in! Enjoy the day off, {s}. Read a book, build a snowman.", "none", "admin", "school"),
    (
        "My disabled brother taught me more about patience than any training.",
        "none",
        "aide",
        "personal",
    ),
    (
        "Gun safety talk from the {p} sheriff for the hunter ed elective, parents welcome.",
        "none",
        "admin",
        "school",
    ),
    (
        "Kids asked about the bad words in the novel; we talked about context and respect.",
        "none",
        "teacher",
        "school",
    ),
    (
        "A beer at the game with {c} after a long week, then home to the kids.",
        "none",
        "teacher",
        "personal",
    ),
    (
        "Our Spanish club made tamales for the whole staff. Muchas gracias!",
        "none",
        "teacher",
        "school",
    ),
    (
        "That bus driver deserves a raise; she handles 60 kids with a smile.",
        "none",
        "aide",
        "personal",
    ),
]


# Templates that are two things at once (the key is the row's `template`).
ALSO: dict[str, str] = {
    "misconduct-09": "alcohol_drugs",  # drove the team bus after drinks
    "misconduct-16": "alcohol_drugs",  # worked high
    "alcohol_drugs-18": "misconduct",  # drinking with students
    "alcohol_drugs-02": "misconduct",  # smoked before teaching
    "bigotry-10": "profanity_insult",  # a slur for disabled people
    "harassment_threat-18": "profanity_insult",
}

# More frames for train only (never val or test): the 12 train frames per category above
# are too few for a model to learn a category rather than its sentences.
TRAIN_ONLY: dict[str, list[T]] = {
    "profanity_insult": [
        (
            "My department head is a spineless weasel and a liar.",
            "colleagues",
            "teacher",
            "personal",
        ),
        (
            "Dealing with {n}'s idiot parents again. Some people shouldn't breed.",
            "parents",
            "teacher",
            "personal",
        ),
        (
            "Holy shit, {k} is the laziest bunch of dimwits I've ever seen.",
            "students",
            "teacher",
            "personal",
        ),
        (
            "Custodian {c} is a worthless drunk loser, somebody fire him already.",
            "colleagues",
            "aide",
            "personal",
        ),
        ("F this job and f every entitled brat in it.", "students", "teacher", "personal"),
        ("{c} is a two-faced snake. Damn hypocrite.", "colleagues", "coach", "personal"),
        (
            "These parents are morons who can't read a damn calendar.",
            "parents",
            "admin",
            "personal",
        ),
        (
            "Kid asked me the same question 6 times. Dumb as a rock, that one.",
            "students",
            "teacher",
            "personal",
        ),
    ],
    "harassment_threat": [
        (
            "I'm going to wring that kid's neck if he touches my desk again.",
            "students",
            "teacher",
            "personal",
        ),
        (
            "Somebody teach {c} a lesson she won't forget. I volunteer.",
            "colleagues",
            "teacher",
            "personal",
        ),
        (
            "If {n}'s father shows up again he'll be leaving in an ambulance.",
            "parents",
            "coach",
            "personal",
        ),
        ("Kids who talk back in my room get slapped. Simple.", "students", "teacher", "personal"),
        ("I know where {c} parks. Just so she knows.", "colleagues", "aide", "personal"),
        (
            "Made {n} stand in the hall and told him I'd make sure he never graduates.",
            "students",
            "teacher",
            "personal",
        ),
        (
            "Tempted to shove {n} into the lockers and see if that teaches him.",
            "students",
            "coach",
            "personal",
        ),
        (
            "Let's all pile on {c} in the group chat until she cracks.",
            "colleagues",
            "teacher",
            "personal",
        ),
    ],
    "sexual": [
        (
            "{c} looks so good in those jeans, I'd let her grade me anytime.",
            "colleagues",
            "teacher",
            "personal",
        ),
        ("The moms at the {t} games are a major perk of coaching.", "parents", "coach", "personal"),
        ("That junior in {k} is way too cute for her own good.", "students", "teacher", "personal"),
        ("Would definitely sleep with {c} if given the chance.", "colleagues", "aide", "personal"),
        ("Can't stop staring at {n}'s mom, those legs.", "parents", "teacher", "personal"),
        (
            "Lingerie shopping for the staff party, {c} won't know what hit him.",
            "colleagues",
            "teacher",
            "personal",
        ),
        ("Told {n} she looks sexy in her uniform. She blushed.", "students", "coach", "personal"),
        ("{c} has the best butt in the building, no contest.", "colleagues", "teacher", "personal"),
    ],
    "bigotry": [
        (
            "Those immigrant families are rats, filling up our classrooms.",
            "groups",
            "teacher",
            "personal",
        ),
        (
            "Gays are an abomination and I won't have them in my class.",
            "groups",
            "coach",
            "personal",
        ),
        ("Mexicans are lazy and dirty, I see it every day at {s}.", "groups", "aide", "personal"),
        (
            "Muslim kids should be watched, they're all raised to hate us.",
            "groups",
            "teacher",
            "personal",
        ),
        ("Black kids from {p} are thugs, plain and simple.", "groups", "teacher", "personal"),
        (
            "Transgender people are sick in the head and a danger to children.",
            "groups",
            "teacher",
            "personal",
        ),
        ("Jews are greedy parasites. Always have been.", "groups", "aide", "personal"),
        ("Old women shouldn't teach, they're useless dinosaurs.", "groups", "teacher", "personal"),
    ],
    "alcohol_drugs": [
        (
            "Wasted at happy hour, pretty sure I'll be hungover for first period.",
            "none",
            "teacher",
            "personal",
        ),
        (
            "Brought a bottle of whiskey to the field trip, chaperones need fuel.",
            "none",
            "teacher",
            "personal",
        ),
        (
            "Baked out of my mind at the {p} lake, back at school tomorrow.",
            "none",
            "teacher",
            "personal",
        ),
        ("Got my guy to drop off some pills before the staff meeting.", "none", "aide", "personal"),
        (
            "Five margaritas at lunch and I still taught 5th period. Legend.",
            "none",
            "teacher",
            "personal",
        ),
        (
            "Hit the vape in the staff bathroom between classes, nobody knows.",
            "none",
            "coach",
            "personal",
        ),
        (
            "Woke up on {c}'s couch still tipsy, straight to homeroom.",
            "none",
            "teacher",
            "personal",
        ),
        ("Coke and cocktails all weekend, Monday hits different.", "none", "teacher", "personal"),
    ],
    "misconduct": [
        (
            "Graded {k}'s finals by weight of the paper. Heavier ones got As.",
            "students",
            "teacher",
            "personal",
        ),
        (
            "Walked out of my classroom for an hour, the kids were on their own.",
            "students",
            "teacher",
            "personal",
        ),
        ("Fudged the attendance numbers so our school looks better.", "none", "admin", "personal"),
        (
            "Told my sub to just show videos, I haven't planned anything in weeks.",
            "students",
            "teacher",
            "personal",
        ),
        (
            "Skipped the mandated reporter training and signed the form anyway.",
            "none",
            "teacher",
            "personal",
        ),
        (
            "Let the team practice with no adult there, I had errands.",
            "students",
            "coach",
            "personal",
        ),
        (
            "Bumped {n} from an F to a B because his mom is on the board.",
            "students",
            "teacher",
            "personal",
        ),
        (
            "Fell asleep at my desk during the test and woke up to chaos.",
            "students",
            "teacher",
            "personal",
        ),
    ],
}

TRAIN_ONLY_CLEAN: list[T] = [
    # Everyday "teach" talk: without it the heads learnt "teach" from threats ("teach him
    # a lesson") and contempt ("can't teach them anything").
    (
        "I get to teach {sub} to the best kids in {p}. Grateful every day.",
        "none",
        "teacher",
        "personal",
    ),
    (
        "Our new teachers learn to teach reading with the science of reading.",
        "none",
        "admin",
        "school",
    ),
    ("We teach our students to disagree with respect.", "none", "admin", "school"),
    ("Came here to teach, stayed for the people. 20 years at {s}.", "none", "teacher", "personal"),
    (
        "Want to teach? Our district is hiring aides and subs for next year.",
        "none",
        "admin",
        "school",
    ),
    ("Learning to teach chess to {k}. They are beating me already.", "none", "teacher", "personal"),
    (
        "My mom taught me to teach with patience. Thinking of her today.",
        "none",
        "teacher",
        "personal",
    ),
    (
        "Our new families from {p} are welcome here. We teach every child.",
        "none",
        "admin",
        "school",
    ),
    ("Hot lunch today is tacos. The cafeteria staff are heroes.", "none", "aide", "school"),
    ("Please drive slowly in the bus loop; our buses run from 3:05.", "none", "admin", "school"),
    ("Finally slept eight hours. Grading can wait until Sunday.", "none", "teacher", "personal"),
    (
        "Our health unit on alcohol and driving includes a visit from {p} EMS.",
        "none",
        "teacher",
        "school",
    ),
    (
        "Date night with my wife, a bottle of wine and way too much pasta.",
        "none",
        "coach",
        "personal",
    ),
    (
        "The seniors voted on prom themes; it's going to be a great night.",
        "none",
        "admin",
        "school",
    ),
    (
        "I told {k} the truth: the quiz was rough and we'll fix it together.",
        "none",
        "teacher",
        "school",
    ),
    (
        "Coaching tip: yell effort, whisper corrections. My players deserve both.",
        "none",
        "coach",
        "personal",
    ),
    (
        "A student asked what 'gay' means in an old poem: happy, then and now, many things.",
        "none",
        "teacher",
        "school",
    ),
    (
        "Muslim, Jewish and Christian families shared holiday traditions at our culture night.",
        "none",
        "admin",
        "school",
    ),
    (
        "The nurse is out {d}; the sub nurse handles medication and first aid.",
        "none",
        "admin",
        "school",
    ),
    (
        "Our vaping assembly had real lungs from the med school. Kids were speechless.",
        "none",
        "admin",
        "school",
    ),
    ("The band is on fire this year, the winter concert will be hot.", "none", "teacher", "school"),
    (
        "Cheering for {t} at the {p} tournament. Shots, blocks, heart. Proud coach.",
        "none",
        "coach",
        "school",
    ),
    (
        "History lesson: the ugly names immigrants were called in 1910 and what that teaches us now.",
        "none",
        "teacher",
        "school",
    ),
    (
        "Reading Beloved with AP Lit; it deals with rape and slavery, and we go slowly.",
        "none",
        "teacher",
        "school",
    ),
    (
        "Took a nap after school, woke up at 9pm confused. Teacher life.",
        "none",
        "teacher",
        "personal",
    ),
    (
        "Reminder: staff may not leave students unattended; call the office for coverage.",
        "none",
        "admin",
        "school",
    ),
    (
        "Big test tomorrow in {sub}. Get some sleep, eat breakfast, you've got this!",
        "none",
        "teacher",
        "school",
    ),
    (
        "Grading policy update: late work accepted for half credit until Friday.",
        "none",
        "admin",
        "school",
    ),
    (
        "A glass of wine on the porch and a good book. Summer, please hurry.",
        "none",
        "teacher",
        "personal",
    ),
    ("I'm a lesbian and a teacher and proud of both.", "none", "teacher", "personal"),
    (
        "Our disabled students' unified basketball team won {d}! Best game of the year.",
        "none",
        "coach",
        "school",
    ),
    (
        "We discussed why people in the Jim Crow south used slurs, and how the law backed them.",
        "none",
        "teacher",
        "school",
    ),
    (
        "Crushing on this new coffee place in {p}. Their scones are sinful.",
        "none",
        "aide",
        "personal",
    ),
    (
        "My bus route kids sang happy birthday to me this morning. Melted.",
        "none",
        "aide",
        "personal",
    ),
    (
        "The chem lab smells like a brewery today: yeast experiment. Science!",
        "none",
        "teacher",
        "school",
    ),
    (
        "Sick day. Sub plans are on my desk, {k} be good for Ms. Pellow.",
        "none",
        "teacher",
        "personal",
    ),
    ("This heat is killing me. Outdoor recess moved to the gym.", "none", "aide", "school"),
    (
        "The team is mad at me for extra sprints. Good. Mad is motivated.",
        "none",
        "coach",
        "personal",
    ),
]


def _split(index: int) -> str:
    """Templates 0,1,2 of every 5 train, 3 val, 4 test: splits share no template."""
    return ("train", "train", "train", "val", "test")[index % 5]


def _fill(template: str, rng: random.Random) -> str:
    values = {slot: rng.choice(options) for slot, options in SLOTS.items()}
    text = template.format(**values)
    opener = rng.choice(OPENERS)
    if opener:
        text = opener + text[0].lower() + text[1:] if not text[:2].isupper() else opener + text
    return text + rng.choice(CLOSERS)


def _rows(
    kind: str, category: str, templates: list[T], rng: random.Random, only: str = ""
) -> list[dict[str, object]]:
    rows: list[dict[str, object]] = []
    for index, (template, target, voice, page) in enumerate(templates):
        seen: set[str] = set()
        for _ in range(FILLS[kind] * 4):
            if len(seen) == FILLS[kind]:
                break
            text = _fill(template, rng)
            if text in seen:
                continue
            seen.add(text)
            key = f"{category}-{only or ''}{index:02d}"
            also = [ALSO[key]] if key in ALSO else []
            rows.append(
                {
                    "text": text,
                    "categories": [category, *also] if category != "none" else [],
                    "target": target if category != "none" else "none",
                    "split": only or _split(index),
                    "voice": voice,
                    "page": page,
                    "template": key,
                }
            )
    return rows


def main() -> None:
    rng = random.Random(SEED)
    rows = [r for c, ts in OFFENSIVE.items() for r in _rows("offensive", c, ts, rng)]
    rows += _rows("clean", "none", CLEAN, rng)
    rows += [r for c, ts in TRAIN_ONLY.items() for r in _rows("offensive", c, ts, rng, "train")]
    rows += _rows("clean", "none", TRAIN_ONLY_CLEAN, rng, "train")
    with OUT.open("w", encoding="utf-8") as handle:
        for row in rows:
            handle.write(json.dumps(row, ensure_ascii=False) + "\n")
    clean = sum(1 for r in rows if not r["categories"])
    print(f"{len(rows)} rows, {clean} clean ({clean / len(rows):.0%})", file=sys.stderr)


if __name__ == "__main__":
    main()
