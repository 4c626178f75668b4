"""What the generator says: situation families per category, risk and crime facts, partner context.

Slots in braces are filled by the generator: {S} first mention of the subject, {s} a later mention,
{he} {him} {his} {He} {His} pronouns, {age}, {caller} (who is calling, e.g. "her son"), {town}, {street}
(a bare street name, not personal data), {addr} (a premises address: personal data), {hosp}, {unit},
{ward}, {care_home}, {children_home}, {school}, {gp}, {danger} (a dangerous location), {place} (a public
place), {time}, {when}, {dur}, {drug}, {n}, {dx}, {section}, {amb}, {weapon}, {staff}, {vrm}, {rel}
(a relative or associate of the subject), {phone}.

Design rules, because the models must generalise to narratives written by other people:
- A family describes a situation, never the label: the flag comes only from the facts added to it.
- Risk vocabulary appears in both flag values (negated and historical forms), category vocabulary
  crosses categories (hospital in welfare calls, sections in walkouts, diagnoses in crimes).
"""

from __future__ import annotations

from dataclasses import dataclass

__all__ = ["CATEGORY_FLAG_RATE", "Family", "FAMILIES", "RISKS", "CRIMES", "CONCERNS", "PARTNER_CONTEXT", "CRIME_ABSENT", "SHARED_DETAILS"]


@dataclass(frozen=True)
class Family:
    """A kind of situation within one category.

    ``p_true`` weights how often the family carries a true flag (realised by adding risk or crime facts);
    ``inherent_crime`` families describe an offence themselves, so their flag is always true. A template
    may carry tags (see ``mentions.eligible``): ``@risk`` situations are themselves a current risk and
    appear only with a true flag; ``@calm`` lines reassure and never appear with one.
    """

    key: str
    category: str
    situation: tuple[str, ...]
    details: tuple[str, ...] = ()
    requests: tuple[str, ...] = ()
    ages: tuple[str, ...] = ("child", "adult", "older")
    p_true: float = 0.3
    risks: tuple[str, ...] = ("overdose", "self_harm", "height", "weapon", "threats", "ligature", "suicide_plan")
    crimes: tuple[str, ...] = ()
    inherent_crime: bool = False


# How often each category's calls meet the threshold. The flag is drawn at this level, before the family,
# so that it does not depend on the subject (families suit different ages). ``Family.p_true`` then
# weights which families carry a true or a false flag.
CATEGORY_FLAG_RATE: dict[str, float] = {
    "concern_for_welfare": 0.40, "walkout_healthcare": 0.33, "awol_mental_health": 0.32,
    "conveyance": 0.2, "mha_s136_handover": 0.33, "police_matter": 0.70,
}

FAMILIES: tuple[Family, ...] = (
    # ----------------------------------------------------------------- concern_for_welfare
    Family(
        "cfw.no_contact", "concern_for_welfare",
        situation=(
            "@public Can't get hold of {S}, not answering phone or door {when}, this isn't like {him} at all.",
            "@public {S} hasn't been seen {when} and {his} curtains are still shut, can someone check?",
            "{caller} has not been able to get hold of {S} {when}.",
            "{S} has not answered {his} phone or door {when}, which {caller} says is unusual.",
            "{caller} is worried about {S} who has not been seen {when}.",
            "{S} has not been in contact with anyone {when} and is not replying to messages.",
            "No one has heard from {S} {when}; {his} post is piling up behind the door.",
            "{caller} last spoke to {S} {ago} and {he} has gone quiet since.",
            "@adult {S} failed to turn up to work and has not been seen {when}.",
        ),
        details=(
            "Lights are on at {addr} but there is no answer.",
            "@adult {His} car is still parked outside.",
            "{caller} has tried ringing {phone} several times with no reply.",
            "It is out of character for {him}.",
            "@adult {He} lives alone at {addr}.",
            "Neighbours say the curtains have been closed all day.",
        ),
        requests=("Caller is asking for police to go round and check.", "Requesting a welfare check.",
                  "Can someone check {he} is OK?", "{caller} wants police to force entry if needed."),
        p_true=0.35, risks=("collapsed", "suicide_plan", "overdose", "self_harm"),
    ),
    Family(
        "cfw.missed_appointment", "concern_for_welfare",
        situation=(
            "{S} did not attend {his} appointment at {gp} today and the practice cannot reach {him}.",
            "The community mental health team have asked police to check on {S} after {he} missed a depot injection.",
            "{S} missed a planned home visit from the CRHT and the team want {him} checked on.",
            "A social worker reports {S} was not in for a pre-arranged visit at {addr}.",
            "{S} is a voluntary patient of the {unit} who missed an outpatient review; the team ask police to check on {him}.",
            "The pharmacy say {S} has not collected {his} medication for a week.",
            "@child {S} has not attended {school} {when} and the school cannot contact the family.",
        ),
        details=(
            "@calm The team say there is nothing to suggest {he} is in crisis.",
            "The caller says they just want someone to lay eyes on {him}.",
            "@calm {He} was last reviewed {ago} and was settled then.",
            "{He} has a diagnosis of {dx}.",
            "The GP surgery will keep trying to call.",
        ),
        requests=("They are asking police to do a welfare check.", "Request police attend and check.",
                  "Asked if officers can just pop round.", "They want police to check {he} is safe and well."),
        p_true=0.2, risks=("suicide_plan", "overdose", "collapsed", "self_harm"),
    ),
    Family(
        "cfw.distressed_public", "concern_for_welfare",
        situation=(
            "@public There's {S} sat outside {place} crying and shouting, looks in a really bad way.",
            "@public Saw {S} stumbling about near {place}, really out of it and on {his} own.",
            "{caller} has seen {S} crying and shouting in {place}.",
            "A member of the public reports {S} wandering in {place} looking confused.",
            "{S} is sat on the pavement on {street} in {town}, appears very drunk and unable to stand.",
            "{caller} found {S} sitting alone at {place}, soaked through and not making much sense.",
            "{S} is walking along {street} in the rain without shoes, talking to {him}self.",
            "{caller} is concerned for {S} who is slumped on a bench at {place}.",
            "Reports of {S} lying on the grass at {place}, possibly asleep.",
        ),
        details=(
            "@calm {He} is responding when spoken to.",
            "{He} appears to be intoxicated.",
            "{He} told the caller {he} has nowhere to stay tonight.",
            "The caller is staying with {him}.",
            "{He} seems disorientated and could not say where {he} lives.",
        ),
        requests=("Caller asks for someone to attend.", "Requesting police attendance.",
                  "Can someone come and see {him}?", "{caller} is not sure who else to call."),
        p_true=0.4, risks=("height", "road", "self_harm", "weapon", "collapsed", "overdose"),
    ),
    Family(
        "cfw.third_party_suicidal", "concern_for_welfare",
        situation=(
            "@public {S} keeps messaging me saying {he} doesn't want to be here any more and I'm scared.",
            "@public {S} put something on facebook tonight like a goodbye, I don't know what to do.",
            "{caller} says {S} has been messaging about not wanting to be here any more.",
            "{S} told {caller} on the phone that {he} feels hopeless.",
            "{caller} is worried after {S} posted on social media that everyone would be better off without {him}.",
            "{S} called a helpline saying {he} was struggling; the helpline passed the call to police.",
            "{caller} received a text from {S} saying sorry for everything.",
            "{S} has told friends {he} has been thinking about ending {his} life.",
        ),
        details=(
            "{He} has a diagnosis of {dx}.",
            "@adult {He} has recently split up with {his} partner.",
            "{He} is under the care of the CRHT.",
            "@adult {He} lost {his} job last month.",
            "Caller does not know where {he} is now.",
            "{He} is believed to be at home at {addr}.",
        ),
        requests=("Caller asks police to check on {him}.", "Requesting a welfare check.",
                  "They want someone to go and see {him}.", "Caller wants police to find {him}."),
        p_true=0.5, risks=("suicide_plan", "overdose", "height", "ligature", "self_harm", "weapon"),
    ),
    Family(
        "cfw.older_fallen", "concern_for_welfare",
        situation=(
            "@public,risk I can hear {S} shouting for help inside {his} flat but the door's locked.",
            "@public {S} hasn't picked up all day and {he} always rings me in the morning, {he}'s 80-odd and lives alone.",
            "@risk {caller} can hear {S} calling out from inside {his} flat but cannot get in.",
            "{S}, who is elderly and frail, has not opened the door to {his} carer this morning.",
            "The carer for {S} cannot get into {addr} for the morning call; the key safe is empty.",
            "{S} pressed {his} lifeline pendant but is not answering the call centre.",
            "{caller} thinks {S} has had a fall at home.",
            "{S} has dementia and has been found wandering on {street} in {his} nightclothes.",
        ),
        details=(
            "@adult {He} is {age} and lives alone.",
            "{He} uses a walking frame.",
            "{amb} have been informed and have a long wait.",
            "Family live over an hour away.",
            "The care agency say {he} was fine yesterday.",
        ),
        requests=("Caller is asking for police to gain entry.", "Request police attend.",
                  "They want help getting in.", "Caller asks if police can check on {him}."),
        ages=("older", "adult"), p_true=0.45, risks=("collapsed", "road"),
    ),
    Family(
        "cfw.hospital_related", "concern_for_welfare",
        situation=(
            "{S} was discharged from {hosp} {ago} and {caller} has not heard from {him} since.",
            "{caller} is worried about {S} who came home from hospital {ago} and is not coping.",
            "{S} has a hospital appointment tomorrow but {caller} cannot get hold of {him} to remind {him}.",
            "{S} was seen at A&E {ago} and sent home; {caller} is now worried about {him}.",
        ),
        details=(
            "{He} has {dx}.",
            "The ward said {he} was medically fit for discharge.",
            "{He} lives at {addr}.",
            "{He} is not answering {phone}.",
        ),
        requests=("Caller asks for a welfare check.", "Requesting police check on {him}.",
                  "{caller} wants police to go round."),
        p_true=0.3, risks=("collapsed", "overdose", "suicide_plan", "self_harm"),
    ),
    Family(
        "cfw.camper_vehicle", "concern_for_welfare",
        situation=(
            "{caller} reports a car, {vrm}, parked at {place} with someone in it who has not moved for hours.",
            "A camper van has been parked at {place} for two days with the curtains drawn.",
            "{caller} is concerned about a man asleep in a car at {place}; the engine is running.",
        ),
        details=(
            "@calm There is no sign of anyone in distress.",
            "The caller did not want to knock on the window.",
            "The vehicle is registered to an address in {town}.",
        ),
        requests=("Caller asks if police can check.", "Requesting someone look into it."),
        ages=("adult", "older"), p_true=0.3, risks=("collapsed", "suicide_plan", "overdose"),
    ),
    Family(
        "cfw.child_concern", "concern_for_welfare",
        situation=(
            "@public {S} hasn't come home from school and isn't answering {his} phone, it's getting dark.",
            "@public I keep seeing {S} hanging round {place} late at night with older lads.",
            "{school} report that {S} disclosed feeling unsafe going home.",
            "@risk {caller} has seen {S} out alone late at night near {place}.",
            "{S} has not come home from {school} and {caller} is worried.",
            "@risk {caller} says {S} has been self-harming and is very low.",
        ),
        details=(
            "{He} is known to children's social care.",
            "{He} has been in touch with CAMHS.",
            "{His} phone is going straight to voicemail.",
            "This has happened before and {he} came back on {his} own.",
        ),
        requests=("Caller asks police to help find {him}.", "Request advice and attendance.",
                  "They want police to check on {him}."),
        ages=("child",), p_true=0.45, risks=("child_at_risk", "self_harm", "height", "overdose", "road"),
    ),
    # ----------------------------------------------------------------- walkout_healthcare
    Family(
        "walk.ed_before_seen", "walkout_healthcare",
        situation=(
            "@public We took {S} to A&E at {hosp} but {he}'s walked out before being seen and isn't answering.",
            "@public {S} got fed up waiting in A&E and left, the nurses said {he} still needed to be seen.",
            "{S} left the emergency department at {hosp} before being seen by a doctor.",
            "{caller} reports {S} walked out of A&E at {hosp} {ago} before {his} assessment.",
            "{S} self-discharged from {hosp} A&E against medical advice.",
            "{S} left the urgent treatment centre before triage had been completed.",
            "{S} was waiting to be seen in the ED and has gone; staff cannot find {him}.",
            "{S} got up and left the department while waiting for the mental health liaison team.",
            "Staff at {hosp} say {S} has left the waiting room and not returned.",
        ),
        details=(
            "{He} had come in after a fall earlier today.",
            "{He} is not detained under the Mental Health Act.",
            "{He} had attended with chest pains.",
            "Security checked the grounds and could not find {him}.",
            "Staff have tried {his} mobile with no answer.",
            "{He} is believed to have capacity.",
            "{He} had been drinking.",
            "{He} has a diagnosis of {dx} but is not under a section.",
        ),
        requests=("The hospital are asking police to find {him} and bring {him} back.",
                  "Staff want police to look for {him}.", "They request police locate {him}.",
                  "Hospital asking for police to do a welfare check at {his} home address."),
        p_true=0.3, risks=("overdose", "height", "suicide_plan", "self_harm", "collapsed", "road"),
        crimes=("assault", "damage", "theft"),
    ),
    Family(
        "walk.ward_informal", "walkout_healthcare",
        situation=(
            "{S}, an informal patient on {ward} at {unit}, has left the ward and not returned.",
            "{S} left {ward} at {hosp} while staff were busy and is not answering {his} phone.",
            "{caller} reports a voluntary patient, {S}, walked off {ward} {ago}.",
            "{S} is a voluntary inpatient who went out for a cigarette and has not come back.",
            "{S} has left the ward against advice; {he} is not sectioned.",
            "{S} took {his} belongings and left {ward} after an argument with another patient.",
        ),
        details=(
            "{He} is an informal patient and free to leave, but staff are worried.",
            "{He} was admitted {ago} with {dx}.",
            "The ward will keep trying to contact {him}.",
            "{He} has done this before and returned later.",
            "{He} is not detained.",
            "{He} was due to be reviewed by the consultant this afternoon.",
        ),
        requests=("The ward ask police to find {him}.", "Staff would like police to check {his} home address.",
                  "They want {him} returned to the ward.", "Ward requesting police assistance to locate {him}."),
        ages=("adult", "older", "child"), p_true=0.3,
        risks=("overdose", "height", "suicide_plan", "self_harm", "ligature", "weapon"),
        crimes=("assault", "damage", "theft"),
    ),
    Family(
        "walk.gp_or_clinic", "walkout_healthcare",
        situation=(
            "{S} walked out of {gp} during an appointment after becoming upset.",
            "{S} left a clinic at {hosp} before {his} assessment was finished.",
            "{S} left the minor injuries unit before {his} wound had been dressed.",
            "The GP at {gp} reports {S} stormed out mid-consultation.",
        ),
        details=(
            "The GP is concerned about {his} mood.",
            "{He} had been talking about {his} money worries.",
            "{He} is known to the practice.",
            "The practice will try to ring {him} later.",
        ),
        requests=("The practice are asking police to check on {him}.", "GP requesting a welfare check.",
                  "They want police to find {him}."),
        p_true=0.25, risks=("suicide_plan", "overdose", "self_harm", "weapon", "height"),
    ),
    Family(
        "walk.lacks_capacity", "walkout_healthcare",
        situation=(
            "{S} has left {ward} at {hosp}; staff had assessed {him} as lacking capacity to make decisions about {his} care.",
            "An elderly patient with {dx}, {S}, has walked out of {hosp} in {his} hospital gown.",
            "{S} managed to get out of the ward while staff were on a break and has not been found.",
            "@risk {S} left A&E while waiting to be admitted; {he} is confused and had a head injury.",
        ),
        details=(
            "Staff have searched the hospital grounds.",
            "{He} is not subject to a DoLS or any section.",
            "{He} was last seen heading towards {street}.",
            "It is cold and dark outside.",
        ),
        requests=("Hospital request police help to find {him}.", "Staff asking police to search for {him}."),
        ages=("older", "adult"), p_true=0.45, risks=("road", "collapsed", "height", "overdose"),
    ),
    # ----------------------------------------------------------------- awol_mental_health
    Family(
        "awol.failed_return_s17", "awol_mental_health",
        situation=(
            "@public {S} had leave from {unit} today but hasn't gone back and the ward keep ringing me.",
            "@public {S} was let out on leave from the section and was meant to be back by {time}, {he}'s still here.",
            "{S}, detained under {section}, has failed to return from s17 leave to {unit}.",
            "{S} was due back on {ward} at {time} from unescorted leave and has not returned.",
            "{caller} reports {S}, a detained patient, did not come back from home leave.",
            "{S} is on {section} and has not returned from leave granted by the RC.",
            "{S} went on section 17 leave to the shops {ago} and has not come back to {unit}.",
        ),
        details=(
            "{He} is believed to be at {his} mother's address.",
            "@calm {He} has been compliant with medication.",
            "{He} has returned late before without incident.",
            "Staff have called {his} family.",
            "@calm There are no current concerns about {his} mental state.",
            "{He} was detained for treatment of {dx}.",
        ),
        requests=("The unit request police assistance to return {him}.", "Staff asking police to locate and return {him}.",
                  "They want police to go to the family address.", "Request police attend to return {him} to the ward."),
        p_true=0.3, risks=("threats", "weapon", "height", "suicide_plan", "overdose", "violence", "forensic_threat"),
        crimes=("assault", "damage", "threats_crime"),
    ),
    Family(
        "awol.absconded_unit", "awol_mental_health",
        situation=(
            "{S}, detained under {section}, has absconded from {unit} by climbing the garden fence.",
            "{S} slipped away from a staff escort on an escorted walk and is AWOL.",
            "{S}, a patient on {section}, ran off when the ward door was opened.",
            "{caller} reports a detained patient, {S}, is absent without leave from {ward}.",
            "{S} has gone AWOL from {unit} where {he} is held under the Mental Health Act.",
            "{S} absconded from the secure unit during a transfer between buildings.",
        ),
        details=(
            "{He} has a forensic history.",
            "{He} is known to use cannabis when AWOL.",
            "@calm There are no risks identified at this time.",
            "{He} is believed to be heading to {town}.",
            "{He} was wearing a grey tracksuit.",
            "The ward will inform the AMHP.",
        ),
        requests=("The unit are requesting police help to return {him} under s18.",
                  "Staff ask police to locate {him}.", "Requesting police assistance to return the patient."),
        p_true=0.3, risks=("threats", "weapon", "height", "suicide_plan", "violence", "self_harm", "forensic_threat"),
        crimes=("assault", "damage", "theft"),
    ),
    Family(
        "awol.found_elsewhere", "awol_mental_health",
        situation=(
            "{S}, AWOL from a unit in another part of the country, has been found at {place}.",
            "{caller} believes a man at {place} is {S}, who is AWOL from {unit} while detained under {section}.",
            "{S}, a recalled CTO patient who has not presented to {unit}, is at {his} mother's address.",
            "{S} is AWOL from {unit}; {his} family say {he} has turned up at their house.",
        ),
        details=(
            "The unit have asked for {him} to be held until transport arrives.",
            "@calm {He} is calm and chatting with staff.",
            "The unit cannot send staff until tomorrow.",
            "{He} says {he} does not want to go back.",
        ),
        requests=("The unit ask police to return {him}.", "Requesting police attendance.",
                  "They want officers to take {him} back to the unit."),
        p_true=0.35, risks=("suicide_plan", "height", "threats", "weapon", "violence"),
    ),
    # ----------------------------------------------------------------- conveyance
    Family(
        "conv.no_ambulance", "conveyance",
        situation=(
            "{amb} have no ambulance available for {dur} and the GP has asked for {S} to be taken to {hosp}.",
            "The CRHT want {S} taken to {hosp} for an assessment but there is no ambulance.",
            "{caller} asks police to transport {S} to {hosp} as the ambulance ETA is {dur}.",
            "The AMHP has completed an assessment and needs {S} conveyed to {unit}; no ambulance is free.",
            "The paramedics have asked whether police can take {S} to hospital in a police vehicle.",
            "The out-of-hours doctor wants {S} admitted but {amb} cannot send a crew for {dur}.",
        ),
        details=(
            "@calm {S} is calm and agreeable to going.",
            "{He} is sitting with {his} family.",
            "Bed is available on {ward}.",
            "{He} has been assessed as needing admission.",
        ),
        requests=("Request police transport.", "They are asking for a police vehicle.",
                  "Can police convey {him}?", "Asked if officers can take {him} in."),
        p_true=0.15, risks=("violence", "weapon", "self_harm", "overdose", "threats"),
    ),
    Family(
        "conv.child_return", "conveyance",
        situation=(
            "{S}, a missing child from {children_home}, has been found safe at a friend's house and staff ask police to bring {him} back.",
            "{children_home} request police collect {S} from {place} and return {him} to the placement.",
            "{S} has been located in {town} and the placement want police to transport {him} back.",
            "Foster carers ask police to pick up {S} from {place} as they have no car.",
        ),
        details=(
            "@calm {He} is safe and well.",
            "@calm {He} is with a responsible adult.",
            "Staff do not have a driver on shift.",
            "@calm {He} is happy to go back.",
        ),
        requests=("Request police transport.", "They want officers to collect {him}.",
                  "Can police give {him} a lift back?"),
        ages=("child",), p_true=0.15, risks=("child_at_risk", "self_harm", "violence", "overdose"),
    ),
    Family(
        "conv.between_units", "conveyance",
        situation=(
            "{ward} ask police to move a patient, {S}, from {hosp} to {unit} as no secure transport is available.",
            "The bed manager wants police to transfer {S} between two hospitals tonight.",
            "{unit} have asked if police can transport {S} to a bed in {town}.",
            "{S} needs taking from A&E at {hosp} to {unit}; the transport provider has cancelled.",
        ),
        details=(
            "@calm {S} is calm and cooperative.",
            "@calm {He} has been settled on the ward all day.",
            "The transport company cannot come until tomorrow.",
            "A nurse would travel with {him}.",
        ),
        requests=("Request police transport.", "Can police convey?", "They are asking for a police van."),
        ages=("adult", "older", "child"), p_true=0.12, risks=("violence", "threats", "weapon", "self_harm"),
    ),
    Family(
        "conv.home_from_hospital", "conveyance",
        situation=(
            "{hosp} ask police to take {S} home as {he} has been discharged and has no way of getting home.",
            "Staff at {hosp} request a lift home for {S}, who has been discharged at {time}.",
            "{S} has been discharged from A&E and the hospital wants police to drive {him} to {town}.",
        ),
        details=(
            "{He} has no money for a taxi.",
            "{He} is medically fit for discharge.",
            "There are no buses at this time.",
        ),
        requests=("Request police transport.", "They want officers to drive {him} home."),
        ages=("adult", "older"), p_true=0.08, risks=("violence", "threats", "self_harm"),
    ),
    # ----------------------------------------------------------------- mha_s136_handover
    Family(
        "s136.detention", "mha_s136_handover",
        situation=(
            "Officers have detained {S} under s136 at {place}.",
            "{S} has been detained under section 136 of the Mental Health Act at {place}.",
            "@risk Patrol have used s136 powers on {S} after finding {him} at {danger}.",
            "Officers are with {S} at {place} and are considering s136.",
            "Officers spoke to the mental health triage nurse and have detained {S} under s136.",
        ),
        details=(
            "@calm {He} is now calm in the back of the police vehicle.",
            "Triage car have been consulted.",
            "The HBPoS at {unit} has been contacted.",
            "{He} is known to have {dx}.",
            "An ambulance has been requested to convey {him}.",
        ),
        requests=("Officers are making their way to the place of safety.", "Update to follow.",
                  "Officers request an ambulance to convey."),
        p_true=0.45, risks=("height", "self_harm", "weapon", "threats", "violence", "overdose", "road"),
        crimes=("assault", "damage"),
    ),
    Family(
        "s136.hbpos_wait", "mha_s136_handover",
        situation=(
            "Officers have been waiting at the HBPoS at {unit} with {S} for {dur}.",
            "The place of safety at {unit} is full and officers are waiting in A&E at {hosp} with {S}, who is on s136.",
            "Officers have been at {hosp} A&E with a s136 detainee, {S}, for {dur}.",
            "The HBPoS staff have asked officers to stay with {S} until the assessment is done.",
            "Officers are still at the place of safety with {S}; the AMHP is not due for {dur}.",
            "{S} is detained under s136 and the suite at {unit} will not accept {him} until {he} is medically cleared.",
        ),
        details=(
            "@calm {S} is calm and cooperative.",
            "Staff say they do not have enough people to take over.",
            "@calm {He} has been sleeping.",
            "The sergeant has asked for a handover to take place.",
            "Two officers have been tied up since {time}.",
        ),
        requests=("Officers asking for a decision on handover.", "Supervisor to review.",
                  "Request the duty inspector speaks to the hospital."),
        ages=("adult", "older", "child"), p_true=0.25, risks=("violence", "threats", "self_harm", "weapon"),
        crimes=("assault", "damage"),
    ),
    Family(
        "s136.warrant_amhp", "mha_s136_handover",
        situation=(
            "The AMHP has a s135 warrant for {addr} and requests police to attend to gain entry.",
            "An AMHP is planning a Mental Health Act assessment for {S} tomorrow and asks for police presence.",
            "The AMHP wants officers present at a Mental Health Act assessment of {S} at {his} home.",
            "Request for police to assist with executing a s135(1) warrant for {S}.",
        ),
        details=(
            "{S} has not engaged with services {when}.",
            "The assessment has been arranged for {time} tomorrow.",
            "A doctor and the AMHP will attend.",
            "{He} lives alone with {his} dog.",
        ),
        requests=("AMHP asking for police to be present.", "Request officers attend at the agreed time."),
        ages=("adult", "older"), p_true=0.3, risks=("weapon", "threats", "violence"),
    ),
    # ----------------------------------------------------------------- police_matter (crime, inherently true)
    Family(
        "pm.assault", "police_matter",
        situation=(
            "@public {S} got punched outside {place} and the lad who did it ran off.",
            "@public {S} was jumped walking home through {place} last night.",
            "{caller} reports {S} has been punched in the face outside {place}.",
            "{S} says {he} was assaulted by {rel}, who has {dx}.",
            "A fight has broken out at {place}; one male is on the floor.",
            "{S} was attacked by a group of youths on {street}.",
            "Staff at {hosp} report a patient has assaulted a nurse in A&E.",
            "{rel} hit {S} with a bottle during an argument.",
        ),
        details=(
            "The suspect has left towards {street}.",
            "{S} has a cut above {his} eye.",
            "The suspect is known to have mental health issues.",
            "There is CCTV in the area.",
        ),
        requests=("Caller wants police to attend.", "Request police.", "{S} wants to report it."),
        inherent_crime=True, p_true=1.0, risks=("weapon", "threats", "violence", "child_at_risk"),
    ),
    Family(
        "pm.domestic", "police_matter",
        situation=(
            "{caller} can hear screaming and things being thrown at {addr}.",
            "{S} reports {his} ex-partner has turned up at the house and is banging on the door.",
            "{S} says {rel} pushed {him} down the stairs during an argument.",
            "@adult {S} reports {his} partner has been controlling {his} money and phone and threatened {him} last night.",
            "{caller} says {his} ex, who has a diagnosis of {dx}, is smashing the windows of {his} house.",
        ),
        details=(
            "There are children in the house.",
            "The suspect is believed to have been drinking.",
            "There have been previous incidents at the address.",
            "{S} is now at a neighbour's house.",
        ),
        requests=("Caller wants police to attend.", "Request police.", "{S} is frightened and wants help."),
        ages=("adult", "older", "child"), inherent_crime=True, p_true=1.0, risks=("weapon", "threats", "violence", "child_at_risk"),
    ),
    Family(
        "pm.theft_damage", "police_matter",
        situation=(
            "@public Someone's smashed my car window on {street} overnight and taken my bag.",
            "@public My bike got nicked from outside {gp} last week, want to report it.",
            "{S} reports {his} bike was stolen from outside {gp} last week.",
            "{caller} reports a shoplifter at {place} who has left with a bag of meat.",
            "@adult {S} says someone broke into {his} car, {vrm}, overnight and took a laptop.",
            "{caller} reports a patient stole a handbag from the waiting room at {hosp}.",
            "@adult {S} says the windows of {his} van have been smashed on {street}.",
            "{S} reports {his} purse was taken while {he} was on the ward at {hosp}.",
        ),
        details=(
            "There is CCTV at the scene.",
            "It happened {ago}.",
            "{He} needs a crime reference number for insurance.",
            "The suspect is described as a man in his 30s.",
        ),
        requests=("{S} wants to report it.", "Caller wants a crime number.", "Request police contact."),
        inherent_crime=True, p_true=1.0, risks=("weapon", "threats", "violence", "child_at_risk"),
    ),
    Family(
        "pm.harassment_threats", "police_matter",
        situation=(
            "{S} reports {rel} keeps sending {him} abusive messages despite being told to stop.",
            "{S} says a neighbour has been shouting racist abuse at {him} every day.",
            "{S} reports a man has been following {him} home from work all week.",
            "{S} has received messages threatening to burn down {his} house.",
        ),
        details=(
            "{He} has screenshots of the messages.",
            "This has been going on {when}.",
            "{He} is scared to leave the house.",
            "The person responsible is known to {him}.",
        ),
        requests=("{S} wants police to speak to them.", "Caller wants to report it.", "Request police contact."),
        inherent_crime=True, p_true=1.0, risks=("weapon", "threats", "violence", "child_at_risk"),
    ),
    Family(
        "pm.road", "police_matter",
        situation=(
            "{caller} reports a driver in {vrm} swerving across the road, possibly drunk.",
            "There has been a collision on {street} in {town} between a car and a cyclist.",
            "{caller} reports a car, {vrm}, has failed to stop after hitting a parked car.",
        ),
        details=("The driver has made off.", "The caller followed the car for a mile.", "@calm Nobody appears hurt."),
        requests=("Request police.", "Caller wants police to deal."),
        ages=("adult", "older"), inherent_crime=True, p_true=1.0, risks=("weapon", "threats", "violence", "road"),
    ),
    # ----------------------------------------------------------------- police_matter (not a crime by itself)
    Family(
        "pm.civil_dispute", "police_matter",
        situation=(
            "@public My neighbour keeps parking across my drive, can you do something about it.",
            "@public Bloke upstairs has his music on full blast every night, I'm sick of it.",
            "@adult {S} is in a dispute with a neighbour about parking outside {his} house on {street}.",
            "@adult {S} reports {his} landlord has not returned {his} deposit.",
            "@adult {S} wants police advice about contact arrangements with {his} ex-partner.",
            "{caller} complains about loud music from a house on {street} every night.",
            "{S} has lost {his} wallet somewhere in {town} and wants to report it.",
            "@adult {S} is arguing with a builder over a bill and wants police to get {his} money back.",
            "{caller} reports a car has been parked across {his} drive all day.",
            "{S} found a purse at {place} and wants to hand it in.",
        ),
        details=(
            "@calm No threats have been made.",
            "{He} says it has been going on {when}.",
            "{He} mentions {he} has anxiety and the situation is making it worse.",
            "{He} has already spoken to the council.",
        ),
        requests=("{S} wants police to sort it out.", "Caller wants advice.", "Request police contact."),
        p_true=0.15, risks=("threats", "weapon", "violence"),
        crimes=("assault", "damage", "threats_crime"),
    ),
    Family(
        "cfw.self_report_crisis", "concern_for_welfare",
        situation=(
            "{S} has called in distress, saying {he} cannot cope any more.",
            "{S} rang 999 in tears saying {he} is struggling with {his} mental health.",
            "{S} has called stating {he} is in crisis and wants someone to talk to.",
            "{S} called police asking for help as {he} is having dark thoughts.",
            "{S} has contacted police via 101 saying {he} feels unsafe in {his} own head.",
        ),
        details=(
            "{He} is at home at {addr}.",
            "{He} is known to the CRHT.",
            "{He} has been drinking.",
            "{He} was given the number for the mental health crisis line.",
            "{He} is on the line and engaging.",
        ),
        requests=("{He} is asking for someone to come and see {him}.", "{He} wants to speak to someone.",
                  "Call handler stayed on the line.", "{He} does not want an ambulance."),
        ages=("adult", "older", "child"), p_true=0.45,
        risks=("overdose", "self_harm", "suicide_plan", "ligature", "height", "weapon"),
    ),
    Family(
        "cfw.intoxicated_alone", "concern_for_welfare",
        situation=(
            "@public {S} is absolutely wasted outside {place} on {his} own and can barely stand up.",
            "@public There's {S} passed out on a bench at {place}, been there ages.",
            "{caller} reports {S} is heavily intoxicated and alone at {place}.",
            "{S} has been drinking all day and is now lying outside {place}.",
            "Door staff at a bar in {town} report {S} is too drunk to stand and has been left by {his} friends.",
            "{S} appears to be under the influence of drugs and is sitting in a shop doorway on {street}.",
        ),
        details=(
            "@calm {He} is breathing and talking.",
            "{He} has been sick.",
            "{He} cannot say where {he} lives.",
            "{His} friends have gone home.",
        ),
        requests=("Caller asks for police to attend.", "Can someone come?", "Request attendance."),
        ages=("adult", "child", "older"), p_true=0.35,
        risks=("collapsed", "road", "overdose", "child_at_risk", "height"),
    ),
    Family(
        "cfw.no_access_smell", "concern_for_welfare",
        situation=(
            "@risk The housing officer reports a smell coming from the flat of {S} and no answer at the door.",
            "{caller} says mail has piled up at {addr} and there has been no sign of {S} for weeks.",
            "Neighbours report {S} has not been seen {when} and the milk is still on the doorstep.",
        ),
        details=(
            "The landlord has a spare key but will not go in.",
            "{He} is {age} and has no family nearby.",
            "{His} car has not moved.",
        ),
        requests=("Request police force entry.", "Caller asks police to check.", "Request welfare check."),
        ages=("adult", "older"), p_true=0.4, risks=("collapsed",),
    ),
    Family(
        "walk.one_to_one", "walkout_healthcare",
        situation=(
            "{S} was on 1:1 observations in A&E at {hosp} and has run out of the department.",
            "{S} ran out of the ED at {hosp} while waiting for the psychiatric liaison team.",
            "{S} left the ward with a cannula still in {his} arm.",
            "@child {S} left the children's ward at {hosp} without {his} parents knowing.",
        ),
        details=(
            "{He} is informal and has not been assessed under the MHA.",
            "Security followed {him} to the car park but lost sight of {him}.",
            "{He} is not detained and there are no sections in place.",
            "{He} was brought in by ambulance earlier.",
        ),
        requests=("Hospital ask police to locate {him}.", "Staff request police find {him} and return {him}.",
                  "They are asking police to do a welfare check."),
        p_true=0.4, risks=("overdose", "height", "suicide_plan", "self_harm", "road", "weapon"),
        crimes=("assault", "damage"),
    ),
    Family(
        "awol.cto_recall", "awol_mental_health",
        situation=(
            "{S} is on a CTO and was recalled to {unit} today but has not presented.",
            "{S}, subject to a community treatment order, failed to attend {his} recall to hospital.",
            "{S} has been recalled under {his} CTO and the team cannot find {him}.",
        ),
        details=(
            "{He} has missed {his} depot.",
            "{He} is thought to be staying with friends in {town}.",
            "The community team have tried {his} phone.",
            "@calm There are no reported risks to others.",
        ),
        requests=("The team ask police to locate {him} and convey {him} to the unit.",
                  "Request police assistance to return {him}."),
        ages=("adult", "older"), p_true=0.3, risks=("threats", "weapon", "suicide_plan", "violence", "forensic_threat"),
    ),
    Family(
        "awol.ground_leave", "awol_mental_health",
        situation=(
            "{S} did not return from 30 minutes of escorted ground leave at {unit}.",
            "{S} ran off from staff during escorted leave in {town} town centre.",
            "{S}, a detained patient on {ward}, has not returned from {his} agreed leave at {time}.",
            "{S} has absconded from {unit}; {he} is held under {section}.",
        ),
        details=(
            "{He} was wearing hospital clothes.",
            "{He} has no money or phone.",
            "Staff have searched the grounds.",
            "{He} has been AWOL before and returned on {his} own.",
        ),
        requests=("Ward ask police to locate and return.", "Staff request police assistance.",
                  "They ask for police to look out for {him}."),
        ages=("adult", "child", "older"), p_true=0.35,
        risks=("height", "suicide_plan", "threats", "weapon", "road", "self_harm"),
        crimes=("assault", "theft"),
    ),
    Family(
        "conv.ambulance_asks", "conveyance",
        situation=(
            "Ambulance control ask if police can take {S} to A&E as the wait for a crew is {dur}.",
            "The paramedic on scene wants police to convey {S} to {hosp} for a mental health assessment.",
            "NHS 111 advised {S} to go to A&E; {caller} asks if police can take {him} as they have no car.",
            "The crisis team want {S} brought to the place of safety for assessment; no ambulance available for {dur}.",
        ),
        details=(
            "@calm {He} is willing to go.",
            "@calm {He} is sat quietly with {his} family.",
            "@calm {He} is medically stable.",
        ),
        requests=("Request police transport.", "Can officers convey?", "They want a police car to take {him}."),
        ages=("adult", "older", "child"), p_true=0.15, risks=("violence", "self_harm", "overdose", "weapon"),
    ),
    Family(
        "s136.refused_handover", "mha_s136_handover",
        situation=(
            "The HBPoS at {unit} will not accept {S}, detained under s136, because {he} is intoxicated.",
            "Officers were told at {hosp} that {S} must stay with them as the s136 suite is closed.",
            "{S} has been on a s136 for {dur}; the hospital want officers to stay until a bed is found.",
            "The s136 detention of {S} has been extended and officers remain at {hosp}.",
        ),
        details=(
            "The duty inspector has been made aware.",
            "Officers have been off the road for {dur}.",
            "@calm {S} is asleep in the cubicle.",
            "The AMHP will attend in the morning.",
        ),
        requests=("Inspector to speak to the site manager.", "Officers request handover to health staff.",
                  "Supervisor asked to review RCRP handover."),
        ages=("adult", "older", "child"), p_true=0.25, risks=("violence", "threats", "self_harm", "weapon"),
        crimes=("assault", "damage"),
    ),
    Family(
        "pm.other_crime", "police_matter",
        situation=(
            "{S} reports {he} has been scammed out of {his} savings by a caller pretending to be from the bank.",
            "{caller} reports a burglary at {addr}; the back door has been forced.",
            "{S} says {he} was sexually assaulted at a party last weekend.",
            "{caller} reports people dealing drugs from a car on {street}.",
            "{S} says {his} neighbour, who has mental health problems, threw a brick through {his} window.",
            "{caller} reports a man exposing himself near {school}.",
            "{S} let two men in who said they were from the water board; after they left {his} savings tin was empty.",
            "{caller} says a man posing as a council worker got into {S}'s flat and took cash.",
        ),
        details=(
            "The suspect is described as a white male in a grey hoodie.",
            "{He} has the details of the account the money went to.",
            "It happened {ago}.",
            "{He} is very upset.",
        ),
        requests=("Caller wants police to attend.", "{S} wants to make a report.", "Request police."),
        ages=("adult", "older", "child"), inherent_crime=True, p_true=1.0,
        risks=("weapon", "threats", "violence", "child_at_risk"),
    ),
    Family(
        "pm.non_crime", "police_matter",
        situation=(
            "{S} wants to report {his} dog missing from the garden.",
            "{caller} reports a group of teenagers being noisy in {place}; no damage or threats.",
            "{S} is asking about getting {his} belongings back from {his} ex's house.",
            "{caller} reports a broken-down car on {street}; it is parked safely.",
            "{S} wants advice about a Facebook post that upset {him}; there are no threats.",
            "{caller} complains that the council has not collected the bins.",
        ),
        details=(
            "@calm No crime is alleged.",
            "{He} has been told this is a civil matter before.",
            "{He} says {his} mental health is suffering because of it.",
            "@calm There is no one in danger.",
        ),
        requests=("Caller wants advice.", "Caller wants police to do something about it.", "Request call back."),
        ages=("adult", "older", "child"), p_true=0.12, risks=("threats", "violence", "weapon"),
        crimes=("assault", "damage", "threats_crime"),
    ),
    Family(
        "conv.family_asks_lift", "conveyance",
        situation=(
            "@public Ambulance says {dur} and I don't drive, can police take {S} to A&E please?",
            "@public {S} is stuck in {town} with no money and no way home, can a police car bring {him} back?",
            "{caller} says {S} needs to go to hospital; the ambulance said {dur} and there is no car, can police take {him}?",
            "{caller} asks if police can drive {S} to A&E as {amb} have a long delay.",
            "{S} needs to get to {hosp} tonight and {caller} has no transport; they ask for a police car.",
            "{caller} wants police to give {S} a lift home from {place} as {he} is stuck there.",
            "{caller} asks police to bring {S} back home from {town}; {he} is safe but has no way back.",
        ),
        details=(
            "@calm {He} is safe where {he} is.",
            "The 111 call handler told them to go to A&E.",
            "{caller} does not drive.",
            "{amb} have been called and gave a long wait.",
        ),
        requests=("Request police transport.", "They want a police car to take {him}.", "Can police give a lift?"),
        ages=("child", "adult", "older"), p_true=0.3,
        risks=("overdose", "self_harm", "collapsed", "violence"),
    ),
    Family(
        "pm.safeguarding_disclosure", "police_matter",
        situation=(
            "{caller} reports {S} disclosed that {his} partner hit {him} last night and took {his} bank card.",
            "@child {school} report {S} has disclosed an adult {he} met online is sending {him} sexual messages and wants to meet.",
            "Adult social care report {S} is being financially exploited by {rel}; large sums have gone from {his} account.",
            "{caller} says {S} told staff that a carer has been taking money from {his} purse.",
            "{caller} reports that during a home visit {S} disclosed {rel} has been hitting {him}.",
            "{S} disclosed to {his} GP that {he} is being forced to hand over {his} benefits.",
        ),
        details=(
            "@calm {He} is safe at the moment.",
            "{His} mental health is stable.",
            "{He} has capacity and wants police involved.",
            "The bank has frozen the account.",
            "The safeguarding lead has been informed.",
        ),
        requests=("Requesting police investigation.", "They ask police to take a report.", "Request police action."),
        ages=("child", "adult", "older"), inherent_crime=True, p_true=1.0,
        risks=("threats", "violence", "child_at_risk", "weapon"),
    ),
    Family(
        "pm.nuisance_non_crime", "police_matter",
        situation=(
            "{caller} reports a damage-only collision in a supermarket car park; details have been exchanged.",
            "{caller} complains a neighbour keeps putting their bins out on the pavement.",
            "{S} says the neighbour's hedge is blocking {his} drive and wants police to deal with it.",
            "{caller} reports people parking on the grass verge on {street}.",
            "{S} says a shop will not give {him} a refund and wants police to get involved.",
            "{caller} reports a lost mobile phone on the bus.",
        ),
        details=(
            "@calm Nobody is injured.",
            "Both parties are sober.",
            "@calm It is a civil matter.",
            "{He} has been advised to contact the council.",
            "{caller} mentions {his} anxiety is bad at the moment.",
        ),
        requests=("Caller wants police to do something.", "Request advice.", "NFA, advice given."),
        ages=("adult", "older"), p_true=0.05, risks=("threats", "violence", "road"),
        crimes=("damage", "threats_crime"),
    ),
    Family(
        "awol.family_reports", "awol_mental_health",
        situation=(
            "@public {S} is sectioned at {unit} and has just turned up at mine saying {he}'s not going back.",
            "@public {S} is meant to be on the ward under a section but {he}'s been at home all afternoon.",
            "{caller} says {S}, who is on {section}, has got out of {unit} and come home.",
            "{S} is sectioned at {unit} but has turned up at {caller}'s house saying {he} is not going back.",
            "{caller} reports {S}, detained on {section}, got a taxi home from the hospital without permission.",
            "{S} has messaged {rel} to say {he} has escaped from the ward where {he} is sectioned.",
        ),
        details=(
            "@calm {He} is sitting in the kitchen and is calm.",
            "The ward do not know yet.",
            "{He} is refusing to go back.",
            "@calm {He} is not hurting anyone.",
        ),
        requests=("{caller} asks what to do.", "They want police to take {him} back.", "Request advice and attendance."),
        ages=("adult", "older", "child"), p_true=0.3,
        risks=("threats", "violence", "weapon", "suicide_plan", "self_harm", "forensic_threat"),
    ),
    Family(
        "walk.seen_by_public", "walkout_healthcare",
        situation=(
            "@public Just seen {S} wandering near {place} in a hospital gown with a wristband on.",
            "@public Think {S} has walked out of {hosp}, {he}'s outside the bus stop in slippers and a gown.",
            "{caller} has seen {S} in a hospital gown and wristband walking along {street}.",
            "{caller} reports {S} is wandering near {place} with a cannula in {his} arm, possibly from {hosp}.",
            "{S} has turned up at {place} in hospital pyjamas saying {he} left {hosp} because {he} was fed up of waiting.",
        ),
        details=(
            "@calm {He} seems fine and is chatting.",
            "{He} said {he} did not want to wait any longer.",
            "The hospital have been called to see if anyone is missing.",
        ),
        requests=("Caller wants someone to check.", "Just in case someone is looking for {him}.", "Request attendance."),
        ages=("adult", "older"), p_true=0.3, risks=("road", "height", "overdose", "collapsed"),
    ),
    Family(
        "s136.seen_or_relative", "mha_s136_handover",
        situation=(
            "@public Police took {S} away under the mental health act earlier and nobody will tell me where {he} is.",
            "@public Officers have been sat with {S} at the hospital for hours under a section 136, is that normal?",
            "{caller} says police have detained {S} using the Mental Health Act at {place}.",
            "{S} was held under section 136 and taken to the unit; officers stayed with {him} for hours.",
            "@risk {caller} has just watched officers detain {S} at {danger} under the Mental Health Act.",
            "{S} has been taken to {unit} on a s136 and {caller} wants to know what happens next.",
        ),
        details=(
            "{He} is in the police car now.",
            "{He} has since been assessed.",
            "{caller} has been told to wait for a call from the unit.",
        ),
        requests=("{caller} wants an update.", "Caller asks where {he} has been taken.", "Request call back."),
        ages=("adult", "older", "child"), p_true=0.35, risks=("height", "self_harm", "violence", "road"),
    ),
)


# Risk facts. "present" makes the flag true; "implicit" is a vaguer wording of a real, current risk (also
# true, used by the bias-injection option); "negated" and "historical" mention the same risk but do not
# make it real and immediate.
RISKS: dict[str, dict[str, tuple[str, ...]]] = {
    "overdose": {
        "present": (
            "{He} has OD'd on {drug} and is drifting in and out of consciousness.",
            "{He} took a load of pills about {dur} ago and is now vomiting.",
            "{He} says {he} has necked a bottle of vodka and {n} {drug}.",
            "{He} has ingested an unknown quantity of {drug} with alcohol.",
            "{He} rang to say goodbye and that {he} had taken all {his} tablets.",
            "Staff found {him} with an empty pill bottle; {he} admits taking them all.",

            "{He} has told {caller} {he} has taken {n} {drug} tablets in the last hour.",
            "{He} says {he} has swallowed a whole packet of {drug}.",
            "{He} has taken an overdose of {drug} and is becoming drowsy.",
            "Empty blister packs of {drug} were found next to {him}.",
            "{He} disclosed taking {n} {drug} tablets about {dur} ago.",
            "{He} is slurring and admits taking a large amount of {his} medication.",
        ),
        "implicit": (
            "{He} mentioned something about {his} tablets and sounded sleepy.",
            "{He} said {he} had 'sorted it' with {his} medication.",
            "{He} seemed drowsy and there were packets lying around.",
        ),
        "negated": (
            "{He} states {he} has not taken an overdose.",
            "No tablets taken.",
            "No OD.",
            "{He} has not taken any substances.",
            "Medication has been checked and none is missing.",

            "{He} denies taking anything.",
            "{He} says {he} has not taken any tablets.",
            "No overdose has been taken.",
            "There is no suggestion {he} has taken anything.",
        ),
        "historical": (
            "PMH of OD.",
            "{He} has previously overdosed on {drug}.",
            "@calm Known history of overdose, nothing current.",

            "{He} has a history of overdoses, the last one {past}.",
            "@calm {He} took an overdose {past} but nothing to suggest that today.",
            "{He} was admitted after an overdose {past}.",
        ),
    },
    "self_harm": {
        "present": (
            "{He} has slashed {his} arm and is bleeding a lot.",
            "{He} is self harming with a blade as we speak.",
            "{He} has cut {his} wrists in the bath.",
            "{He} has deep lacerations to {his} forearms and is refusing help.",

            "{He} is cutting {his} arms with a razor blade right now.",
            "{He} is bleeding heavily from cuts to {his} wrists.",
            "{He} is actively self-harming and no ambulance can attend promptly.",
            "{He} is banging {his} head against the wall and has a deep wound.",
            "{He} has cut {him}self and there is a lot of blood.",
        ),
        "implicit": (
            "{He} has some marks on {his} arms that look fresh.",
            "{He} said {he} has 'done something stupid' to {his} arm.",
            "There was blood on the bathroom floor, not sure from what.",
        ),
        "negated": (
            "No current self harm.",
            "{He} denies any intent to harm {him}self.",
            "No injuries seen.",
            "No thoughts of self harm disclosed.",

            "{He} denies any thoughts of self harm.",
            "No self harm disclosed.",
            "No cuts or injuries seen.",
            "{He} has not harmed {him}self.",
            "There are no injuries.",
        ),
        "historical": (
            "{He} has a long history of cutting.",
            "@calm Historic self harm, nothing recent.",

            "{He} has a history of self harm.",
            "@calm {He} self-harmed {past} but has been doing well recently.",
            "@calm Old scars on {his} arms, nothing recent.",
            "{He} cut {his} arms {past}.",
        ),
    },
    "height": {
        "present": (
            "{He} is sitting on the parapet of {danger}.",
            "{He} is on the railway tracks near {danger}.",
            "{He} has climbed over the barrier at {danger} and is hanging on.",
            "{He} is on the ledge of a top floor window threatening to jump.",
            "{He} is on the wrong side of the fence at {danger}.",

            "{He} is standing on the wrong side of the railings at {danger}.",
            "{He} is at {danger} saying {he} is going to jump.",
            "{He} has been seen walking along the railway line near {danger}.",
            "{He} is sat on the edge of the roof of {place}.",
            "{He} is on {danger} and will not come away from the edge.",
            "{He} has said {he} wants to die and was last seen heading towards {danger}.",
            "CCTV shows {him} walking towards {danger}; {he} has been assessed as high risk and lacking capacity.",
            "{He} told staff {he} was going to the railway to end it and has gone.",
            "{He} told {caller} {he} is at {danger} and is going to end it.",
        ),
        "implicit": (
            "{He} was last seen walking towards {danger}.",
            "{He} said {he} wanted to go and look at the water.",
            "{He} mentioned the bridge on the phone.",
        ),
        "negated": (
            "{He} is not at any height.",
            "{He} is in the house, not on any bridge.",
            "Nothing to suggest {he} has gone anywhere dangerous.",

            "{He} is not near any bridges or railways.",
            "{He} is at home, not in any dangerous location.",
            "{He} has no plans to go anywhere.",
        ),
        "historical": (
            "{He} has been talked down from {danger} before.",
            "Previous incident at {danger} {past}.",

            "{He} was found on {danger} {past}.",
            "{He} has previously been detained after being found on a bridge.",
            "@calm {He} went to the railway line {past} but is at home today.",
        ),
    },
    "weapon": {
        "present": (
            "{He} is brandishing {weapon} in the street.",
            "{He} is in the kitchen with {weapon} and won't put it down.",
            "{He} has armed {him}self with {weapon}.",
            "{He} pulled out {weapon} when staff approached.",

            "{He} is holding {weapon} and waving it around.",
            "{He} has {weapon} and is threatening to use it.",
            "{He} has {weapon} held to {his} own throat.",
            "{caller} can see {weapon} in {his} hand.",
            "{He} has barricaded {him}self in with {weapon}.",
        ),
        "implicit": (
            "{He} might have something in {his} pocket, caller not sure.",
            "{He} was seen earlier with something shiny.",
        ),
        "negated": (
            "Not believed to be armed.",
            "No weapons.",
            "No weapon seen.",
            "Weapons not mentioned.",

            "No weapons seen or mentioned.",
            "{He} has no weapons.",
            "No knives or weapons involved.",
            "Caller does not believe {he} has any weapons.",
        ),
        "historical": (
            "Weapons marker on the address.",
            "{He} was previously found with a knife.",

            "{He} has a history of carrying knives.",
            "{He} was arrested for possession of a knife {past}.",
            "There is a warning marker for weapons at the address from a previous incident.",
        ),
    },
    "threats": {
        "present": (
            "{He} has told {rel} {he} is going to kill them tonight.",
            "{He} is threatening staff and saying {he} will hurt someone.",
            "{He} said {he} will stab {rel} if {he} sees them.",
            "{He} is making threats to kill towards {rel}.",

            "{He} is threatening to kill {rel}.",
            "{He} said {he} will stab the staff if they come near {him}.",
            "{He} has said {he} is going to hurt {his} neighbour tonight.",
            "{He} is making threats to kill anyone who tries to take {him} back.",
            "{He} is shouting that {he} will burn the house down with everyone in it.",
        ),
        "implicit": (
            "{He} made some comments about 'sorting out' {rel}.",
            "{He} was very angry and said people would 'see'.",
        ),
        "negated": (
            "No threats made.",
            "{He} has not made any threats.",
            "No threats to anyone.",

            "No threats have been made to anyone.",
            "{He} has not threatened anyone.",
            "There are no threats to others.",
        ),
        "historical": (
            "@calm Past threats to {rel}, none recently.",
            "{He} has made threats in the past.",

            "{He} made threats to staff {past}.",
            "{He} has a history of violence towards family members.",
            "{He} has previous convictions for threats to kill.",
        ),
    },
    "ligature": {
        "present": (
            "{He} is tying a cord round {his} neck.",
            "{He} has a ligature tied to the door frame.",
            "Staff found {him} with a ligature and it had to be cut off; {he} is trying again.",

            "{He} has tied a ligature around {his} neck.",
            "{He} was found with a belt round {his} neck in the bathroom.",
            "{He} has said {he} has a rope and is going to hang {him}self.",
        ),
        "implicit": (
            "{He} asked about a rope.",
            "Staff found a cord missing from the ward.",
        ),
        "negated": (
            "No ligature risk identified.",
            "No ligatures.",

            "No ligatures found.",
            "{He} has no means to harm {him}self.",
        ),
        "historical": (
            "History of ligatures.",
            "{He} used a ligature {past}.",

            "{He} has tied ligatures on the ward before.",
            "{He} attempted to hang {him}self {past}.",
        ),
    },
    "suicide_plan": {
        "present": (
            "{He} has said {he} is going to kill {him}self tonight and has a plan.",
            "{He} says {he} will end {his} life today and has said goodbye to {his} family.",
            "{He} is on the phone to {caller} saying {he} is going to take {his} own life right now.",
            "{He} has told {rel} this is the last time they will hear from {him}.",

            "{He} has sent a goodbye message saying {he} will end it tonight.",
            "{He} told {caller} {he} has a plan to kill {him}self today and has the means.",
            "{He} has written a note and says {he} is going to end {his} life.",
            "{He} is saying {he} wants to die and is going to do it now.",
        ),
        "implicit": (
            "{He} said {he} can't go on like this.",
            "{He} has been giving {his} things away.",
            "{He} said goodbye in an odd way.",
        ),
        "negated": (
            "No suicidal ideation.",
            "No SI, no plan, no intent.",
            "{He} denies suicidal thoughts.",
            "{He} states {he} has no intention of ending {his} life.",

            "{He} denies any thoughts of suicide.",
            "{He} says {he} has no plans to harm {him}self.",
            "{He} has no suicidal intent.",
        ),
        "historical": (
            "{He} has a history of suicidal ideation.",
            "Previous attempt on {his} life {past}.",
            "{He} had suicidal thoughts {past}.",

            "{He} has made suicide attempts {past}.",
            "@calm {He} expressed suicidal thoughts {past} but none since.",
            "{He} was on a suicide watch {past}.",
        ),
    },
    "violence": {
        "present": (
            "{He} is attacking {rel}.",
            "{He} has just punched a member of staff and is kicking off.",
            "{He} is smashing up the house and hitting out at anyone near.",

            "{He} is punching staff and throwing chairs.",
            "{He} has assaulted a nurse and is still lashing out.",
            "{He} is fighting with {rel} and there is blood.",
            "{He} is kicking the door in and trying to get at {rel}.",
        ),
        "implicit": ("{He} is getting very agitated.", "{He} is shouting and pacing about."),
        "negated": (
            "{He} is settled and not aggressive.",
            "No violence or aggression.",
"{He} is calm and has not been violent.", "No aggression shown.", "No violence."),
        "historical": (
            "Previous assaults on staff.",
            "{He} has a history of violence.",
"{He} has been violent to staff {past}.", "There is a history of aggression."),
    },
    "collapsed": {
        "present": (
            "{He} is lying unconscious on the kitchen floor.",
            "There is a strong smell from the flat and no answer; {he} may be dead inside.",
            "{He} has fallen and is not responding, door locked.",
            "{He} is not breathing properly.",

            "{caller} can see {him} through the window lying on the floor and not moving.",
            "The flat is locked with the key inside and {caller} fears {he} has collapsed.",
            "{He} can be heard groaning behind the door but cannot get up.",
            "{He} is on the floor unresponsive.",
            "{He} collapsed and has a head injury that is bleeding.",
            "{caller} fears {he} has had a fall and cannot get up; the key safe is empty and there is no answer.",
            "{He} always answers; the family fear {he} has collapsed inside the locked house.",
            "No answer, the TV can be heard and {he} is frail; {caller} thinks {he} has fallen inside.",
            "Milk is still on the step, the curtains are shut and {he} is not answering; {he} is frail and fell recently.",
        ),
        "implicit": ("There is no answer and the TV is on loud.", "{caller} heard a thud earlier."),
        "negated": (
            "{He} is sitting up and talking.",
            "{He} is awake and alert.",
            "No injuries reported.",
"{He} is up and walking about.", "{He} is conscious and talking.", "{He} is not injured."),
        "historical": (
            "{He} is prone to falls.",
            "Previous falls at home.",
"{He} has had falls {past}.", "{He} collapsed {past} and was taken to hospital."),
    },
    "child_at_risk": {
        "present": (
            "A baby has been left alone in the house.",
            "The children are in the house with {him} and {he} is threatening to hurt them.",
            "A young child is wandering the street alone at night.",

            "A toddler has been left alone in the flat.",
            "{He} has a baby with {him} and is too drunk to look after it.",
            "A child at the address has been hit and is crying.",
            "{He} is with a man much older who is giving {him} alcohol and drugs.",
        ),
        "implicit": ("There may be a child in the flat.", "{He} has been seen with older men in a car."),
        "negated": (
            "No children present.",
            "No children in the house.",
"No children are at the address.", "The children are with their grandparents."),
        "historical": (
            "Children's services were involved {past}.",
"Social services were involved with the children {past}.", "There were child protection concerns {past}."),
    },
    "forensic_threat": {
        "present": (
            "{He} is a restricted patient whose index offence was arson, and today {he} said {he} would set fire to {rel}'s house.",
            "{He} has convictions for serious offences against children and has been talking about a child {he} saw near {school}.",
            "{He} has a forensic history of stabbing and told staff before absconding that {he} would 'finish' {rel}.",
            "{He} is high risk to others; {his} index offence was a serious assault and {he} has made fresh threats this week.",
            "{He} has a history of violence and has messaged {rel} saying {he} is coming round to hurt them.",
        ),
        "implicit": (
            "{He} has a forensic history and was agitated before {he} left.",
        ),
        "negated": (
            "There is no forensic history.",
            "{He} has no history of violence to others.",
            "No current threats to anyone.",
        ),
        "historical": (
            "{He} has a forensic history, but {his} index offence was many years ago and there are no current concerns.",
            "{He} is on a restriction order for an offence {past}.",
        ),
    },
    "road": {
        "present": (
            "{He} is standing in the carriageway of the A road.",
            "{He} is weaving between moving cars.",
            "{He} keeps stepping out into the road in front of traffic.",

            "{He} is walking in the middle of the dual carriageway.",
            "{He} is lying in the road on {street}.",
            "{He} is running in and out of the traffic.",
        ),
        "implicit": ("{He} was seen near the main road.", "{He} was walking close to the traffic."),
        "negated": (
            "{He} is not near any roads.",
            "{He} is off the road now.",
"{He} is away from the road.", "{He} is on the pavement, not in the road."),
        "historical": (
            "{He} has walked into traffic before.",
"{He} was found on the motorway {past}.",),
    },
}

# Crime facts that can accompany any category (a walkout who assaulted staff, an AWOL patient who stole).
CRIMES: dict[str, tuple[str, ...]] = {
    "assault": (
        "Before leaving {he} punched a member of staff.",
        "{He} assaulted {rel} earlier this evening.",
        "{He} headbutted a security guard.",
    ),
    "damage": (
        "{He} smashed a window on the way out.",
        "{He} has damaged {his} neighbour's car.",
        "{He} kicked in the door of the office.",
    ),
    "theft": (
        "{He} took a staff member's bag.",
        "{He} has stolen a car, {vrm}, from the car park.",
        "{He} left with a nurse's keys and phone.",
    ),
    "threats_crime": (
        "{He} has been sending {rel} threatening messages all day.",
        "{He} threatened to stab {rel} last night.",
    ),
}

CRIME_ABSENT: tuple[str, ...] = (
    "No offences disclosed.",
    "No crime has been committed.",
    "Nothing has been taken or damaged.",
    "No criminality.",
)

CONCERNS: tuple[str, ...] = (
    "{He} has a diagnosis of {dx}.",
    "{He} has been low in mood recently.",
    "{He} has not been taking {his} medication.",
    "{He} is vulnerable due to a learning disability.",
    "{He} has been drinking heavily.",
    "{He} is known to mental health services.",
    "This is out of character.",
    "{He} is autistic and struggles with change.",
    "{He} has recently been bereaved.",
    "{He} is diabetic.",
    "{He} has {dx} and is under the care of the community team.",
    "{caller} is very worried about {him}.",
    "{He} had a bottle of cider with {him}.",
    "@adult {He} has a cut on {his} hand from work.",
)

PARTNER_CONTEXT: tuple[str, ...] = (
    "The CRHT are aware and plan to visit tomorrow.",
    "{amb} have been informed; ETA {dur}.",
    "The mental health team will try to contact {him}.",
    "Social care are aware.",
    "The GP will review in the morning.",
    "An ambulance is on the way.",
    "{amb} cannot give an ETA.",
    "Staff will keep trying {his} phone.",
    "The duty social worker has been informed.",
    "The mental health triage nurse has been consulted.",
)


_W, _WK, _AW, _CV, _S136, _PM = ("concern_for_welfare", "walkout_healthcare", "awol_mental_health", "conveyance",
                                 "mha_s136_handover", "police_matter")
_WHEREABOUTS_UNKNOWN = (_W, _WK, _AW)
_ALL = (_W, _WK, _AW, _CV, _S136, _PM)

# Lines that fit several categories. They stop everyday phrases ("has not been seen", "officers have",
# "no ambulance available", "can someone") from being the signature of one category.
SHARED_DETAILS: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("{He} has not been seen since.", _WHEREABOUTS_UNKNOWN),
    ("{caller} cannot get hold of {him} on {his} mobile.", _WHEREABOUTS_UNKNOWN),
    ("{He} left the house {ago} without {his} phone.", (_W, _AW, _PM)),
    ("{He} walked out of the house after an argument {ago}.", (_W, _PM, _AW)),
    ("{He} has walked out before and come back.", (_W, _WK, _AW)),
    ("Officers have attended the address before.", _ALL),
    ("Officers have dealt with {him} previously.", _ALL),
    ("Officers are aware of {him} from previous incidents.", _ALL),
    ("No ambulance is available for {dur}.", (_W, _CV, _S136, _WK)),
    ("There is no ambulance available at the moment.", (_W, _CV, _S136)),
    ("{caller} wants to report a concern.", (_W, _WK, _AW, _PM)),
    ("{caller} is going to keep trying {his} phone.", (_W, _WK, _AW)),
    ("{He} is going to stay with {rel} tonight.", (_W, _WK, _CV, _PM)),
    ("@calm {He} says {he} is not going to do anything silly.", (_W, _WK, _AW, _S136)),
    ("The duty inspector is aware.", _ALL),
    ("Can someone attend?", (_W, _WK, _AW, _PM)),
    ("They would like someone to check on {him}.", (_W, _WK, _AW)),
    ("{He} had been drinking earlier.", _ALL),
    ("{He} left the ward {past} against advice.", (_W, _AW, _CV, _S136)),
    ("{He} was recently in the emergency department.", (_W, _AW, _CV, _PM, _S136)),
    ("The housing officer is aware.", (_W, _PM, _AW, _CV)),
    ("A social worker is involved.", _ALL),
    ("The school have been told.", (_W, _PM, _CV, _WK, _AW)),
    ("The community mental health team know {him}.", _ALL),
    ("Staff can take {him} back if {he} is found.", (_WK, _AW, _CV)),
    ("{caller} is asking police to help return {him} home.", (_W, _CV, _WK)),
    ("The family want to report it to the police.", (_W, _PM, _WK, _AW)),
    ("{He} wants to report it.", (_PM, _W)),
    ("{caller} asks for police contact.", _ALL),
    ("{He} was found on the floor {past} after a fall.", _ALL),
    ("@calm {He} has got up off the floor and is talking.", (_W, _WK, _S136, _CV)),
    ("The suspect in an earlier incident has been arrested.", (_W, _PM, _S136)),
    ("A handover to health staff has been discussed.", (_S136, _CV, _WK)),
    ("Officers have been asked to stay.", (_S136, _CV, _W)),
    ("A police car is nearby.", _ALL),
    ("There is no transport available.", (_CV, _WK, _AW, _S136)),
    ("Staff say a bed is available.", (_CV, _S136, _AW, _WK)),
    ("{He} had been seen by the GP {ago}.", _ALL),
    ("Staff ask police to help to return {him}.", (_WK, _AW, _CV)),
    ("Family have been round to {his} flat.", (_W, _AW, _WK)),
    ("{He} was alone at home earlier.", (_W, _CV, _AW, _PM)),
    ("@adult {His} car has not moved from outside.", (_W, _AW, _PM)),
    ("There is no sign of {him} at {his} flat.", (_W, _WK, _AW)),
    ("A car was parked at the back of the building.", (_W, _PM, _AW)),
    ("Neighbours have heard shouting before.", (_W, _PM)),
    ("{He} is waiting to be reviewed.", (_WK, _S136, _CV)),
    ("The AMHP will attend later.", (_S136, _AW, _CV)),
    ("{He} was in distress earlier.", _ALL),
    ("{caller} wants advice.", (_W, _PM, _WK)),
    ("It has been going on for a while.", (_W, _PM)),
    ("{He} wants to go and see {rel}.", (_W, _PM, _AW)),
    ("{He} could not say where {he} was going.", (_W, _WK, _AW)),
    ("Police can take a report later.", (_PM, _W)),
    ("Police can check the address later.", (_W, _WK, _AW)),
    ("The team will review tomorrow.", (_W, _WK, _AW, _S136)),
    ("While waiting, {he} became upset.", (_WK, _S136, _CV)),
    ("{caller} reports {his} family are worried.", (_W, _WK, _AW, _PM)),
    ("Staff will not accept {him} back tonight.", (_WK, _CV, _S136)),
    ("{He} was unable to stand at one point.", (_W, _S136, _CV, _PM)),
    ("{He} is described as slim, wearing a grey hoodie and jeans.", (_W, _WK, _AW)),
    ("{He} is described as tall with short dark hair.", (_W, _WK, _AW, _PM)),
    ("There is no CCTV in the area.", (_W, _PM, _WK)),
    ("CCTV at the hospital shows {him} leaving.", (_WK, _AW)),
    ("@calm It happened {ago} and {he} is fine now.", (_PM, _W)),
    ("@calm {He} is not hurt.", _ALL),
    ("{caller} has asked {him} to stop calling.", (_PM, _W)),
    ("{He} did not stop to speak to staff.", (_WK, _AW)),
    ("@adult {He} has two children in primary school.", _ALL),
    ("To be treated as a MISPER if not located.", (_W, _WK, _AW)),
    ("MISPER enquiries started; THRIVE completed.", (_W, _WK, _AW)),
    ("{He} has been reported as a MISPER before.", (_W, _WK, _AW, _CV)),
    ("@adult There are children in the family but they live with their other parent.", _ALL),
)
