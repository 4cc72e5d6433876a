"""Translations of the seeded articles (kennisbank/seed.py), written for this portal without a
native speaker: simple English (B1) for all of them, Arabic for the first articles a parent of a
baby sees. None is marked as checked (no `TranslationReview`): readers see the "not yet checked
by a native speaker" note until an editor records a review in the admin.

{language: {slug: (title, summary, body)}}; migration 0003 and `seed.load` fill only empty
columns, so an editor's own translation is never overwritten.
"""

ENGLISH = {
    "gezond-eten-in-je-zwangerschap": (
        "Healthy food when you are pregnant",
        "What is good to eat, and what is better not to eat? A few tips.",
        "Your baby grows from what you eat. Eat vegetables and fruit every day. Also eat "
        "bread, dairy and fish.\n\n"
        "Some things are not good for your baby:\n\n"
        "- Do not drink alcohol.\n"
        "- Do not eat raw meat or raw fish.\n"
        "- Do not eat cheese made from raw milk.\n\n"
        "Take a folic acid pill every day until week 10. And take vitamin D. "
        "Not sure? Ask your midwife.",
    ),
    "kinkhoestprik-in-je-zwangerschap": (
        "The whooping cough vaccine in your pregnancy",
        "With one vaccine you protect your baby even before birth.",
        "Whooping cough is dangerous for young babies. They can get very ill from it. "
        "You can protect your baby with a vaccine. You get it yourself, from week 22 of your "
        "pregnancy.\n\n"
        "Your body then makes substances against whooping cough. They go to your baby. So "
        "your baby is already a little protected after birth.\n\n"
        "The vaccine is free. You make an appointment with the GGD or the JGZ yourself.",
    ),
    "klaar-voor-je-baby": (
        "Ready for your baby",
        "What can you arrange before the birth?",
        "Your baby is almost here. That is exciting. You can already do a few things now.\n\n"
        "- Get a safe cot, without a pillow and without a duvet.\n"
        "- Get a car seat for your baby.\n"
        "- Talk with your partner about the jobs at home.\n\n"
        "The youth health nurse visits you during your pregnancy. You can ask all your "
        "questions then. How are you doing? You can talk about that too.",
    ),
    "veilig-slapen": (
        "Safe sleep for your baby",
        "This is how your baby sleeps safely, every night and every nap.",
        "Always put your baby on their back to sleep. During the day too.\n\n"
        "- Use a sleeping bag. No duvet and no pillow.\n"
        "- Put the cot in your room until your baby is 6 months old.\n"
        "- Do not smoke in the house or in the car.\n"
        "- The room is not too warm: about 18 degrees is good.\n\n"
        "Does your baby sleep badly? Or are you very tired? Ask the youth health nurse.",
    ),
    "borstvoeding-de-eerste-weken": (
        "Breastfeeding: the first weeks",
        "Breastfeeding does not always go easily. That is normal.",
        "At first your baby drinks often. Sometimes 8 to 12 times a day. This way your milk "
        "starts to flow well.\n\n"
        "Look out for these things:\n\n"
        "- Your baby wees 6 times a day or more.\n"
        "- Your baby grows.\n"
        "- Feeding does not hurt.\n\n"
        "Does it hurt? Or are you not sure your baby drinks enough? Ask for help. You can ask "
        "the maternity nurse, the midwife or us.",
    ),
    "flesvoeding-klaarmaken": (
        "Making a bottle safely",
        "This is how you make a bottle clean and safe.",
        "First wash your hands. Make each bottle just before the feed.\n\n"
        "1. Boil fresh water and let it cool down a little.\n"
        "2. First put the water in the bottle, then the powder.\n"
        "3. Use the scoop from the tin. Make it level.\n"
        "4. Shake the bottle well and feel that the milk is not too hot.\n\n"
        "Throw away milk that is left after one hour. Then clean the bottle well.",
    ),
    "je-baby-huilt-veel": (
        "Your baby cries a lot",
        "All babies cry. What can you do when it is a lot?",
        "Babies cry to show what they need. In the first weeks they often cry more. It is "
        "usually the most at about 6 weeks.\n\n"
        "What can help:\n\n"
        "- A fixed rhythm of feeding, playing and sleeping.\n"
        "- Holding your baby firmly in your arms.\n"
        "- Quiet and few things around.\n\n"
        "Do you get angry, or can you not cope any more? Put your baby safely in bed and walk "
        "away for a moment. Never shake your baby. Call us or your GP: you are not alone.",
    ),
    "de-hielprik": (
        "The heel prick",
        "In the first week your baby gets a small prick in the heel.",
        "With the heel prick we look for rare diseases. If you find them early, you can do a "
        "lot about them.\n\n"
        "Someone comes to your home when your baby is 3 to 7 days old. A few drops of blood "
        "go on a card. It takes a few minutes.\n\n"
        "Do you hear nothing? Then the result is good. Is something not right? Then your GP "
        "tells you soon.",
    ),
    "de-eerste-hapjes": (
        "The first bites of food",
        "From about 4 to 6 months your baby can learn to eat.",
        "At first your baby gets small amounts. Start with a few spoons of vegetables or "
        "fruit. Give something new every day, so your baby gets used to many tastes.\n\n"
        "- Do not give salt or sugar.\n"
        "- Also give peanut and egg, in small amounts.\n"
        "- Keep giving milk, like before.\n\n"
        "Does your baby not want it? Try again later. Sometimes a child has to taste something "
        "ten times.",
    ),
    "koorts": (
        "Fever in your baby or child",
        "When is a fever dangerous, and when do you call?",
        "A fever is a temperature of 38 degrees or higher. The body is fighting an illness. "
        "Usually that is not serious.\n\n"
        "Call your GP straight away, or the GP out-of-hours service in the evening, if:\n\n"
        "- your baby is younger than 3 months and has a fever;\n"
        "- your child is drowsy or hard to wake up;\n"
        "- your child breathes with difficulty;\n"
        "- your child does not drink or does not wee.\n\n"
        "If life is in danger: call 112. Give your child enough to drink and do not dress "
        "them too warmly.",
    ),
    "je-peuter-leert-praten": (
        "Your toddler learns to talk",
        "This is how you help your child learn more words.",
        "Children learn to talk by listening. So talk a lot with your child, in the language "
        "you speak best.\n\n"
        "- Say what you are doing: now we put on your coat.\n"
        "- Read a book together, a little every day.\n"
        "- Sing songs.\n"
        "- Give your child time to say something back.\n\n"
        "Two languages at home are good for your child. Are you worried about the talking? "
        "Ask us at an appointment.",
    ),
    "driftbuien": (
        "Tantrums in your toddler",
        "Your toddler gets very angry. What do you do?",
        "Toddlers want to do a lot by themselves. That does not always work. Then they get "
        "angry. A tantrum is normal at this age.\n\n"
        "- Stay calm yourself.\n"
        "- Make sure your child is safe.\n"
        "- Wait until the tantrum is over. Comfort your child after it.\n"
        "- Do not give in to what your child wanted.\n\n"
        "Later, say what you saw: you were very angry, weren't you. This way your child "
        "learns to understand that feeling.",
    ),
    "zindelijk-worden": (
        "Potty training",
        "Every child is ready for the toilet in their own time.",
        "Most children are dry between 2 and 4 years. First during the day, later at night "
        "too.\n\n"
        "Your child is ready when they:\n\n"
        "- say that the nappy is wet;\n"
        "- stay dry for a while;\n"
        "- want to sit on the toilet or the potty.\n\n"
        "Praise your child when it works. Getting angry does not help. Is it not working yet? "
        "Then wait a few weeks and try again.",
    ),
    "tanden-poetsen": (
        "Brushing teeth",
        "From the first tooth, you brush every day.",
        "Brush your child's teeth twice a day. Do it in the morning and before bed.\n\n"
        "- Use toothpaste for children.\n"
        "- Brush again yourself after your child, until they are about 10 years old.\n"
        "- Do not give something sweet too often. Water is the best drink for thirst.\n\n"
        "Go to the dentist with your child from the first tooth. For children it is free.",
    ),
    "schermen-en-je-kind": (
        "Screens and your child",
        "Tablet, phone and TV: how much is good?",
        "Screens are part of life today. But too much is not good for sleep, language and "
        "moving.\n\n"
        "- Make agreements together about the time.\n"
        "- No screen in the hour before sleep.\n"
        "- Watch together and talk about it.\n"
        "- Set a good example yourself.\n\n"
        "Playing outside and doing things together is just as much fun. Do you want tips? "
        "Ask us.",
    ),
    "goed-slapen-schoolkind": (
        "Good sleep for your school child",
        "With enough sleep, learning goes better.",
        "A child at primary school needs 9 to 12 hours of sleep. With enough sleep your "
        "child can learn and play better.\n\n"
        "- Go to bed at about the same time every day.\n"
        "- Make a fixed routine: brush teeth, a book, lights out.\n"
        "- No phone or tablet in the bedroom.\n\n"
        "Does your child sleep badly, or are they very tired during the day? Ask us.",
    ),
    "als-je-kind-gepest-wordt": (
        "If your child is bullied",
        "Bullying hurts. This is how you can help your child.",
        "Your child does not want to go to school, or is quiet and sad. That can be because "
        "of bullying.\n\n"
        "- Listen to your child and take them seriously.\n"
        "- Say that it is not your child's fault.\n"
        "- Talk to the teacher or the mentor.\n\n"
        "You can also talk to us. We work together with the school. Your child can also "
        "contact us themselves.",
    ),
    "je-kind-in-de-puberteit": (
        "Your child in puberty",
        "Your child is changing. That is normal, but not always easy.",
        "In puberty your child grows fast. The body changes and the feelings too. Your child "
        "wants to decide more things themselves.\n\n"
        "- Keep talking, also about difficult things.\n"
        "- Give space, but make clear agreements.\n"
        "- Show that you are there.\n\n"
        "From 12 years your child may talk to us on their own. What your child tells us stays "
        "between us, unless it is not safe.",
    ),
    "de-hpv-prik": (
        "The HPV vaccine",
        "Boys and girls get a vaccine against HPV.",
        "HPV is a virus. Later it can cause cancer. With the vaccine your child is well "
        "protected against it.\n\n"
        "Your child gets a letter when they turn 10. The vaccine is free. Two vaccinations "
        "are needed.\n\n"
        "Do you have questions about the vaccine? Ask us. Your child may also ask questions "
        "themselves.",
    ),
}

ARABIC = {
    "veilig-slapen": (
        "النوم الآمن لطفلك",
        "هكذا ينام طفلك بأمان، كل ليلة وفي كل قيلولة.",
        "ضع طفلك دائمًا على ظهره لينام. في النهار أيضًا.\n\n"
        "- استخدم كيس نوم. بدون لحاف وبدون وسادة.\n"
        "- ضع سرير الطفل في غرفتك حتى يبلغ طفلك 6 أشهر.\n"
        "- لا تدخن في البيت ولا في السيارة.\n"
        "- الغرفة ليست دافئة جدًا: حوالي 18 درجة جيد.\n\n"
        "هل ينام طفلك بشكل سيئ؟ أو هل أنت متعب جدًا؟ اسأل ممرضة صحة الشباب.",
    ),
    "koorts": (
        "الحمى عند طفلك",
        "متى تكون الحمى خطيرة، ومتى تتصل؟",
        "الحمى هي حرارة 38 درجة أو أكثر. الجسم يحارب مرضًا. في أغلب الأحيان هذا ليس خطيرًا.\n\n"
        "اتصل فورًا بطبيب العائلة، أو في المساء بمركز طبيب العائلة المناوب، إذا:\n\n"
        "- كان عمر طفلك أقل من 3 أشهر وعنده حمى؛\n"
        "- كان طفلك نعسانًا أو يصعب إيقاظه؛\n"
        "- كان طفلك يتنفس بصعوبة؛\n"
        "- كان طفلك لا يشرب أو لا يتبول.\n\n"
        "في حالة خطر على الحياة: اتصل بـ 112. أعطِ طفلك ما يكفي من الشرب ولا تلبسه ملابس "
        "دافئة جدًا.",
    ),
}

TRANSLATIONS = {"en": ENGLISH, "ar": ARABIC}


def fill(article_model) -> int:
    """Write these translations into empty columns of the seeded articles; returns how many
    (article, language) pairs were filled. Nothing is marked as checked."""
    filled = 0
    for language, articles in TRANSLATIONS.items():
        for slug, (title, summary, body) in articles.items():
            columns = {
                f"title_{language}": title,
                f"summary_{language}": summary,
                f"body_{language}": body,
            }
            for empty in ({f"title_{language}__isnull": True}, {f"title_{language}": ""}):
                filled += article_model.objects.filter(slug=slug, **empty).update(**columns)
    return filled
