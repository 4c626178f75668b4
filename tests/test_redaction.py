"""Rule-based redaction of personal data (rcrp.models.redaction)."""

from __future__ import annotations

import dataclasses
import json
import subprocess
import sys
from pathlib import Path

import pytest

from rcrp.models.errors import ErrorCode, RcrpError
from rcrp.models.records import PII_TYPES, PiiSpan
from rcrp.models.redaction import (
    RedactedSpan,
    Redaction,
    RedactionScores,
    Redactor,
    default_redactor,
    evaluate_redaction,
    redact_narrative,
)

_DATA = Path(__file__).resolve().parent / "data"
# Dev (read while writing the rules): redaction_handwritten.jsonl, redaction_probes.jsonl and
# redaction_dev_*.jsonl (each of these was a blind test set until it was examined). Test: redaction_test_*.jsonl,
# written by people who never saw the rules, scored and never read.
HANDWRITTEN_FILES = (_DATA / "redaction_handwritten.jsonl", _DATA / "redaction_probes.jsonl",
                     *sorted(_DATA.glob("redaction_dev_*.jsonl")), *sorted(_DATA.glob("redaction_test_*.jsonl")))
# Measured 0.990 (397/401) on the blind test set when it was first scored; earlier blind sets scored 0.969 to
# 0.989 before they became dev (README). The floor guards against regression, not the target itself.
TEST_RECALL_FLOOR = 0.985
# Recall target (0.99): a gold string counts as removed only when every alphanumeric character of it is redacted.
# Over-redaction bound: 2% of the non-PII characters. A 400-character narrative then loses at most about
# eight characters of ordinary text (one or two words, typically a place or organisation name that looks
# like a person's name); the triage model keeps the rest of the narrative, while a leaked name cannot be
# taken back. Measured rates are far lower (see the report of this module).
MAX_OVER_REDACTION = 0.02


@pytest.fixture(scope="module")
def redactor() -> Redactor:
    return default_redactor()


def _covered(result: Redaction, text: str, value: str) -> set[str]:
    """Types of the spans that cover every alphanumeric character of ``value`` in ``text`` (empty if not)."""
    start = text.index(value)
    needed = [k for k in range(start, start + len(value)) if text[k].isalnum()]
    types = set()
    for k in needed:
        hit = [s.type for s in result.spans if s.start <= k < s.end]
        if not hit:
            return set()
        types.update(hit)
    return types


# -- each type, several forms -----------------------------------------------------------------------------
POSITIVE = [
    # PERSON
    ("Spoke to Mr Jaworski about his son.", "Jaworski", "PERSON"),
    ("PC 4471 Hughes attended the address.", "Hughes", "PERSON"),
    ("Concern for Siobhan O'Sullivan who has left the ward.", "Siobhan O'Sullivan", "PERSON"),
    ("RP states SMITH, John has gone missing.", "SMITH, John", "PERSON"),
    ("J. Okafor was seen on CCTV near the station.", "J. Okafor", "PERSON"),
    ("Her partner Kerry-Ann Smith-Jones is on the line.", "Kerry-Ann Smith-Jones", "PERSON"),
    ("Amir's phone is switched off.", "Amir", "PERSON"),
    ("my son jayden has taken an overdose", "jayden", "PERSON"),
    ("A male named Tomasz Wiśniewski is shouting in the street.", "Tomasz Wiśniewski", "PERSON"),
    ("MISPER ABDIRAHMAN WARSAME LAST SEEN AT 2200.", "ABDIRAHMAN WARSAME", "PERSON"),
    ("Rose is on the phone and says she is frightened.", "Rose", "PERSON"),
    ("The caller says Will has taken all his tablets.", "Will", "PERSON"),
    ("Patient Nguyễn Thị Lan walked out of the unit.", "Nguyễn Thị Lan", "PERSON"),
    ("Mohammed bin Rashid and Ana de la Cruz were both present.", "Ana de la Cruz", "PERSON"),
    ("IP (AKA 'DANNY BOY') is known to carry knives.", "DANNY BOY", "PERSON"),
    ("Her son, Kunal, has not come home.", "Kunal", "PERSON"),
    # ADDRESS
    ("He lives at 57b Foundry Close, Croydon.", "57b Foundry Close", "ADDRESS"),
    ("Last seen at Flat 3, 22 Moseley Road.", "Flat 3, 22 Moseley Road", "ADDRESS"),
    ("LAST KNOWN ADDR 65 PARK VIEW ROAD, NG7 5FS.", "65 PARK VIEW ROAD", "ADDRESS"),
    ("she lives with her nan at 27 coronation st, wigan", "27 coronation st", "ADDRESS"),
    ("Warrant for Rose Cottage, Mill Lane.", "Rose Cottage, Mill Lane", "ADDRESS"),
    ("He is at Flat 17, Kestrel House, Peterborough Road.", "Flat 17, Kestrel House, Peterborough Road", "ADDRESS"),
    # POSTCODE
    ("Address is in Leeds LS6 2AB.", "LS6 2AB", "POSTCODE"),
    ("Croydon CR87RN.", "CR87RN", "POSTCODE"),
    ("near b8 1jl i think", "b8 1jl", "POSTCODE"),
    # PHONE
    ("Please ring me on 07700 900123.", "07700 900123", "PHONE"),
    ("Landline (0114) 496 0739 is engaged.", "(0114) 496 0739", "PHONE"),
    ("Call back on +44 7700 900 481 tonight.", "+44 7700 900 481", "PHONE"),
    ("TEL 07700-900-327.", "07700-900-327", "PHONE"),
    ("Her number is 020 7946 0392.", "020 7946 0392", "PHONE"),
    # EMAIL
    ("Email from amir.khan@example.com about his brother.", "amir.khan@example.com", "EMAIL"),
    ("Contact: J.Smith+ward3@nhs.example.uk", "J.Smith+ward3@nhs.example.uk", "EMAIL"),
    # DOB
    ("Rosa Tavares, born 22/03/1961, has left.", "22/03/1961", "DOB"),
    ("DOB 15/11/68.", "15/11/68", "DOB"),
    ("Davie Innes (DOB 25 Sep 1929) is confused.", "25 Sep 1929", "DOB"),
    ("Date of birth 3rd of March 1990.", "3rd of March 1990", "DOB"),
    ("Lihua (8.7.12) walked out.", "8.7.12", "DOB"),
    ("d.o.b. 1985, no fixed abode", "1985", "DOB"),
    ("He was born March 1990 in Leeds.", "March 1990", "DOB"),
    ("Patient 1961-03-22 record.", "1961-03-22", "DOB"),
    # NHS_NUMBER
    ("NHS no. 494-122-7905 on the referral.", "494-122-7905", "NHS_NUMBER"),
    ("NHS number 4941227905.", "4941227905", "NHS_NUMBER"),
    ("Her number on the discharge letter is 943 476 5919.", "943 476 5919", "NHS_NUMBER"),
    # VEHICLE_REG
    ("A car, CA53 BXM, is parked outside.", "CA53 BXM", "VEHICLE_REG"),
    ("Driving a blue van K123 ABC towards town.", "K123 ABC", "VEHICLE_REG"),
    ("someone in a red fiesta bd51 smr keeps driving past", "bd51 smr", "VEHICLE_REG"),
    ("Reg no: AB12CDE.", "AB12CDE", "VEHICLE_REG"),
    # REFERENCE
    ("CAD 0234 refers.", "0234", "REFERENCE"),
    ("Crime ref 41/12846/23 was given.", "41/12846/23", "REFERENCE"),
    ("PCSO 118 is on scene.", "118", "REFERENCE"),
    ("MRN: RX1234567.", "RX1234567", "REFERENCE"),
    ("Incident 23-114567: male arrested.", "23-114567", "REFERENCE"),
    ("Custody record CU/0445/24.", "CU/0445/24", "REFERENCE"),
    ("Collar number 2719 attended.", "2719", "REFERENCE"),
    ("Linked to log 4410 of 17/09/25 earlier.", "4410 of 17/09/25", "REFERENCE"),
    ("PNC shows CRO 654321/09K for him.", "654321/09K", "REFERENCE"),
    ("Missing person record MF/25/1187 opened.", "MF/25/1187", "REFERENCE"),
    # homes that are not "number, street, type"
    ("Resident of Room 7, Larkspur Nursing Home has gone out.", "Room 7, Larkspur Nursing Home", "ADDRESS"),
    ("Call from plot 12, Willowbank caravan park, about her husband.", "plot 12, Willowbank caravan park", "ADDRESS"),
    ("He is at Pitch 3 at the Brackenfield site tonight.", "Pitch 3 at the Brackenfield site", "ADDRESS"),
    ("DA at Flat 6, 22 Kingsway last night.", "Flat 6, 22 Kingsway", "ADDRESS"),
    ("He lives at 14 Orchardleigh, near the school.", "14 Orchardleigh", "ADDRESS"),
    ("Found on the floor at 9 Carlton Mansions after a fall.", "9 Carlton Mansions", "ADDRESS"),
    ("Caller at Upper Dinas Farm says her son has a shotgun.", "Upper Dinas Farm", "ADDRESS"),
    ("She lives at Ty Coch, Heol y Felin, with her mum.", "Ty Coch, Heol y Felin", "ADDRESS"),
    ("FLAT 3 BIRCH HOUSE, 4 QUEENS RD - MALE SHOUTING.", "FLAT 3 BIRCH HOUSE, 4 QUEENS RD", "ADDRESS"),
    ("Flat address 3/2, 41 Dumbarton Road, west end.", "3/2, 41 Dumbarton Road", "ADDRESS"),
    ("its flat 4 meadow bank court, hes kicking off", "flat 4 meadow bank court", "ADDRESS"),
    ("neighbour at 7 the paddocks has not been seen", "7 the paddocks", "ADDRESS"),
    ("Ward line 0121 496 0233 ext 41 for updates.", "0121 496 0233 ext 41", "PHONE"),
    ("RTC involving WX 07 KDD on the bypass.", "WX 07 KDD", "VEHICLE_REG"),
    # names in ambiguous positions
    ("my nan rose is 91 and has dementia", "rose", "PERSON"),
    ("her partner dale has gone out drinking", "dale", "PERSON"),
    ("Caller says her daughter Chelsea's boyfriend Lincoln has smashed a window.", "Lincoln", "PERSON"),
    ("Olu and Tayo were seen arguing outside the shop.", "Tayo", "PERSON"),
    ("Seen with an older male known only as 'Deano' tonight.", "Deano", "PERSON"),
    ("IP MARK GREEN CALM AND COMPLIANT.", "MARK GREEN", "PERSON"),
    ("UPDATE RP MAY LEUNG CALLED BACK.", "MAY LEUNG", "PERSON"),
    ("Online report from Mrs Ngozi Eke about fraud.", "Ngozi Eke", "PERSON"),
    ("PT ADEBOLA FASHOLA NHS NO 507 529 1708 ASSESSED.", "ADEBOLA FASHOLA", "PERSON"),
    ("rp is ben, says his housemate took ket", "ben", "PERSON"),
    ("kyle and his mates are smashing up the bus stop", "kyle", "PERSON"),
    ("Dawn from the Crisis Team called back at 06:15.", "Dawn", "PERSON"),
    ("Please ring me back on 07700 900527, Jade.", "Jade", "PERSON"),
    ("NO SIGN OF BROWN, ROSIE FOR WEEKS.", "BROWN, ROSIE", "PERSON"),
]


@pytest.mark.parametrize(("text", "value", "pii_type"), POSITIVE, ids=[f"{t}-{i}" for i, (_, _, t) in enumerate(POSITIVE)])
def test_each_type_is_redacted(redactor, text, value, pii_type):
    result = redactor.redact(text)
    assert _covered(result, text, value) == {pii_type}, result.text


def test_titles_and_cues_stay_in_the_text(redactor):
    assert redactor.redact("Mr Jaworski called.").text == "Mr [PERSON] called."
    assert redactor.redact("PC 1234 Smith attended.").text == "PC [REFERENCE] [PERSON] attended."
    assert redactor.redact("Spoke to Staff Nurse Nwamaka.").text == "Spoke to Staff Nurse [PERSON]."
    assert redactor.redact("Amir's phone").text == "[PERSON]'s phone"


def test_every_type_appears_in_the_positive_cases():
    assert {t for _, _, t in POSITIVE} == set(PII_TYPES)


# -- what must stay ---------------------------------------------------------------------------------------
NEGATIVE = [
    "Detained under s136 at 0300 and taken to the place of safety.",
    "Section 2 assessment, s17 leave, s135(1) warrant for tomorrow at 10:00.",
    "Male aged 34, 5ft 10, wearing a black jacket. Approx 20 mins ago.",
    "He is walking around Preston and was last seen in Milton Keynes near the bus station.",
    "Conveyed to St Mary's Hospital, then the Harbourlight Unit, then Rose Ward.",
    "The CRHT, AMHP and LAS are aware; NHS 111 advised A&E. SCAS ETA 3 hours.",
    "I will call back. It may be a while. She rose from her bed and went to church.",
    "There is a mark on his arm and the bill is unpaid. Young people are gathered by the green.",
    "A white van and a brown car are parked up the hill near the wood.",
    "Request police attendance. Officers attended and spoke to staff. The caller is worried.",
    "Black male, Polish female, both intoxicated. He has Alzheimer's and a Stanley knife.",
    "Rose and Crown pub reports a man collapsed in the beer garden.",
    "Call received 12th March, meeting in May, the CQC report for 2023.",
    "LOC: Elizabeth Lane, Darlington. Victoria Park is closed after dark.",
    "Driver of a grey Range Rover and a blue Hilux made off towards the ring road.",
    "Referral from the Harbour Unit: her neighbour's house has been egged again.",
    "Her son rose to his feet and left. My friend will be there at 3 PM.",
    "Staff at the Cottage Hospital and Grace House hostel are aware; arrived at 3 Hours past midnight.",
    "UPDATE 02:15 ON 24 MAY AT 10 THE UNITS LEFT.",
]


@pytest.mark.parametrize("text", NEGATIVE)
def test_no_personal_data_found(redactor, text):
    result = redactor.redact(text)
    assert result.spans == (), [text[s.start:s.end] for s in result.spans]
    assert result.text == text


# -- placeholders, idempotence, offsets, batches ----------------------------------------------------------
SAMPLES = [
    "Spoke to Mr Jaworski on 07700 900123. Staff Nurse Nwamaka called from Ward 31.",
    "Contact from LAS. Re: Morgan Kwok, DOB 15/11/68. Kwok came home on Friday. He lives at 57b Foundry Close, "
    "Croydon CR87RN.",
    "Patient: Davie Innes, DOB 25 Sep 1929, NHS no. 494-122-7905. A car, CA53 BXM, parked.",
    "RP MRS B. GREEN STATES HUSBAND DEREK HAS DRIVEN OFF IN YR68 OFT. LAST SEEN HEADING TOWARDS SKIPTON.",
    "hey, this is brandon. my mates lewis and tyler have taken something and lewis is fitting.",
    "PC 5011 KING REQUESTS CHECKS ON ANTHONY GRANT 05/12/1975. CAD 1234. email a.grant@example.org",
    "",
    "   ",
    "[PERSON] was seen by [NAME] at [ADDRESS]; call [PHONE].",
]


def test_placeholders_pass_through(redactor):
    text = "[PERSON] said [NAME] lives at [ADDRESS] with [REDACTED] (DOB [DOB])."
    result = redactor.redact(text)
    assert result.text == text
    assert result.spans == ()
    assert redactor.redact("Mr [PERSON] called [PHONE].").text == "Mr [PERSON] called [PHONE]."


@pytest.mark.parametrize("text", SAMPLES)
def test_idempotent(redactor, text):
    once = redactor.redact(text).text
    assert redactor.redact(once).text == once


def test_offsets_point_into_the_original(redactor):
    text = SAMPLES[1]
    result = redactor.redact(text)
    assert [text[s.start:s.end] for s in result.spans] == [
        "Morgan Kwok", "15/11/68", "Kwok", "57b Foundry Close", "CR87RN"]
    assert [s.type for s in result.spans] == ["PERSON", "DOB", "PERSON", "ADDRESS", "POSTCODE"]
    # Rebuilding the redacted text from the spans gives the same text.
    rebuilt, last = [], 0
    for span in result.spans:
        assert 0 <= span.start < span.end <= len(text) and span.start >= last
        rebuilt += [text[last:span.start], f"[{span.type}]"]
        last = span.end
    assert "".join(rebuilt) + text[last:] == result.text


def test_batch_equals_one_at_a_time(redactor):
    texts = SAMPLES * 3
    assert list(redactor.redact_many(texts, batch_size=4)) == [redactor.redact(t) for t in texts]
    assert list(redactor.redact_many(iter(texts))) == [redactor.redact(t) for t in texts]
    assert list(redactor.redact_many([])) == []


def test_empty_string(redactor):
    assert redactor.redact("") == Redaction(text="", spans=())
    assert redact_narrative("") == ""


def test_bad_input_is_refused(redactor):
    with pytest.raises(TypeError):
        redactor.redact(None)  # type: ignore[arg-type]
    with pytest.raises(TypeError):
        list(redactor.redact_many(["fine", 3]))  # type: ignore[list-item]
    with pytest.raises(ValueError):
        list(redactor.redact_many(["fine"], batch_size=0))


# -- API --------------------------------------------------------------------------------------------------
def test_public_api_shapes():
    assert default_redactor() is default_redactor()
    assert redact_narrative("Call Amir on 07700 900123") == "Call [PERSON] on [PHONE]"
    span = RedactedSpan(0, 4, "PERSON")
    with pytest.raises(dataclasses.FrozenInstanceError):
        span.start = 1  # type: ignore[misc]
    assert [f.name for f in dataclasses.fields(RedactedSpan)] == ["start", "end", "type"]
    assert [f.name for f in dataclasses.fields(Redaction)] == ["text", "spans"]
    assert dataclasses.is_dataclass(RedactionScores)


def test_extra_names():
    text = "i think zorblax quuxington is outside"
    assert redact_narrative(text) == text  # unknown lower-case words are not names without a cue
    custom = Redactor(extra_given_names=["Zorblax"], extra_surnames=["Quuxington"])
    assert custom.redact(text).text == "i think [PERSON] is outside"


def test_runtime_imports_no_dev_only_package():
    code = ("import sys, rcrp.models.redaction as r; r.redact_narrative('Mr Smith'); "
            "print(' '.join(sorted(m for m in ('faker', 'mimesis', 'names') if m in sys.modules)))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == ""


# -- evaluation -------------------------------------------------------------------------------------------
def test_evaluate_on_a_tiny_example():
    text = "Mr Jaworski rang from Leeds on 07700 900123 about Grace"
    gold = [
        PiiSpan(start=3, end=11, type="PERSON"),  # Jaworski: removed
        {"start": 31, "end": 43, "type": "PHONE", "value": "07700 900123"},  # removed
        {"start": 50, "end": 55, "type": "DOB"},  # "Grace" labelled DOB on purpose: removed, wrong type
        {"start": 22, "end": 27, "type": "ADDRESS"},  # "Leeds" (a town): not removed
    ]
    scores = evaluate_redaction([(text, gold)])
    assert scores.examples == 1
    assert (scores.overall.gold, scores.overall.removed) == (4, 3)
    assert scores.recall == pytest.approx(0.75)
    assert scores.overall.type_accuracy == pytest.approx(2 / 3)
    assert scores.for_type("ADDRESS").recall == 0.0 and scores.for_type("ADDRESS").char_recall == 0.0
    assert scores.for_type("PHONE").recall == 1.0
    assert scores.for_type("EMAIL").recall is None
    # Non-PII characters: all non-space characters outside the gold spans; none is redacted.
    non_pii = sum(1 for k, c in enumerate(text) if not c.isspace()
                  and not any(g_start <= k < g_end for g_start, g_end in ((3, 11), (31, 43), (50, 55), (22, 27))))
    assert scores.non_pii_chars == non_pii
    assert scores.over_redaction == 0.0
    rows = scores.to_rows()
    assert [r["type"] for r in rows] == [*PII_TYPES, "ALL"]
    assert rows[-1]["missed"] == 1 and rows[-1]["examples"] == 1


def test_over_redaction_is_counted():
    text = "Victoria Street is closed."  # no personal data; pretend the first word were redacted
    custom = Redactor(extra_given_names=["Closed"])
    scores = evaluate_redaction([(text, [])], custom)
    assert scores.overall.gold == 0 and scores.recall is None
    assert 0.0 <= scores.over_redaction <= 1.0


def test_invalid_gold_spans_are_rejected_without_text():
    secret = "Amir Khan lives here"
    for bad in ([{"start": 5, "end": 2, "type": "PERSON"}], [{"start": 0, "end": 99, "type": "PERSON"}],
                [{"start": 0, "end": 4, "type": "NAME"}], [{"start": 0}]):
        with pytest.raises(RcrpError) as info:
            evaluate_redaction([(secret, bad)])
        assert info.value.code == ErrorCode.SPANS_INVALID
        assert "Amir" not in str(info.value)


def test_handwritten_dev_files_are_idempotent(redactor):
    # Dev rows only, and their upper- and lower-case forms: a test row that changed on a second pass would
    # point at a string the first pass missed, and test rows are scored, never read.
    texts = [v for t, _ in _handwritten("dev") for v in (t, t.upper(), t.lower())]
    once = [r.text for r in redactor.redact_many(texts)]
    assert [r.text for r in redactor.redact_many(once)] == once


def _handwritten(split: str) -> list[tuple[str, list[dict]]]:
    rows = [json.loads(line) for path in HANDWRITTEN_FILES for line in path.read_text(encoding="utf-8").splitlines()
            if line.strip()]
    return [(r["text"], r["pii"]) for r in rows if r.get("split") == split]


# The target is recall >= 0.99 on every split. The dev rows were read while writing the rules; the test rows
# were written afterwards by people who never saw the rules and are scored, never read (see README for the
# figures). The floors assert the level reached, so that a regression fails.
_RECALL_FLOOR = {"dev": 0.99, "test": TEST_RECALL_FLOOR}


@pytest.mark.parametrize("split", ["dev", "test"])
def test_recall_on_handwritten_files(redactor, split):
    examples = _handwritten(split)
    assert len(examples) >= 100, f"the hand-written {split} rows are missing"
    scores = evaluate_redaction(examples, redactor)
    summary = {r["type"]: (r["gold"], r["removed"]) for r in scores.to_rows() if r["gold"]}
    assert scores.over_redaction is not None and scores.over_redaction <= MAX_OVER_REDACTION, summary
    assert scores.recall is not None and scores.recall >= _RECALL_FLOOR[split], summary


def test_house_number_before_a_name_like_street_is_an_address(redactor):
    result = redactor.redact("RP lives at 19 Westfield, nr the shops.")
    assert result.text == "RP lives at [ADDRESS], nr the shops."
    assert redactor.redact("He is 19 and called Westfield.").text.count("[ADDRESS]") == 0
