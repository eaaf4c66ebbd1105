#include "scan/linkage.h"

#include <gtest/gtest.h>

#include "scan/scanner.h"
#include "test_support.h"

namespace phiguard::scan {
namespace {

using phiguard::testing::CompileInline;
using phiguard::testing::PackJson;

// A linked phone rule, a direct identifier, a health term and a patient cue.
std::shared_ptr<const CompiledRules> Rules() {
  return CompileInline(PackJson(R"j([
    {"id":"t.phone","title":"t","category":"phone","kind":"phi","severity":"medium",
     "action":"warn","linkage":"patient_health","pattern":"\\d{3}-\\d{3}-\\d{4}",
     "message":"m","examples":["617-555-0142"]},
    {"id":"t.mrn","title":"t","category":"mrn","kind":"phi","severity":"critical",
     "action":"block","pattern":"MRN \\d{8}","message":"m","examples":["MRN 12345678"]},
    {"id":"t.health","title":"t","category":"health","kind":"health","severity":"low",
     "action":"info","terms":["pneumonia"],"message":"m","examples":["pneumonia"]},
    {"id":"t.cue","title":"t","category":"cue","kind":"cue","severity":"low","action":"info",
     "terms":["my patient"],"message":"m","examples":["my patient"]},
    {"id":"t.name","title":"t","category":"name","kind":"phi","severity":"high",
     "action":"warn","linkage":"person","terms":["Renata"],"message":"m","examples":["Renata"],
     "context":{"lower":["dr."],"window":10,"drop_after":["memorial"],"drop_before":["port"]}},
    {"id":"t.care","title":"t","category":"cue","kind":"cue","severity":"low","action":"info",
     "evidence":"health","terms":["appointment"],"message":"m","examples":["appointment"]},
    {"id":"t.staff","title":"t","category":"cue","kind":"cue","severity":"low","action":"info",
     "evidence":"staff","terms":["to book"],"message":"m","examples":["to book"]},
    {"id":"t.date","title":"t","category":"date","kind":"phi","severity":"high",
     "action":"warn","linkage":"person","pattern":"\\d{2}/\\d{2}/\\d{4}","message":"m",
     "examples":["03/14/2024"]},
    {"id":"t.age","title":"t","category":"age","kind":"phi","severity":"medium",
     "action":"warn","linkage":"patient_health","pattern":"she's 9\\d","message":"m",
     "examples":["she's 94"]},
    {"id":"t.public","title":"a public disclosure","category":"cue","kind":"cue",
     "severity":"low","action":"info","evidence":"not_patient","terms":["announced"],
     "message":"m","examples":["announced"]}])j"));
}

std::string ActionOf(Scanner& scanner, std::string_view text, std::string_view rule) {
  for (const auto& f : scanner.Scan(text).findings) {
    if (f.rule->id == rule) return std::string(rules::ToString(f.action));
  }
  return "none";
}

TEST(Linkage, ActionDependsOnPatientAndHealthEvidence) {
  const std::string filler(400, '.');  // longer than a short post, wider than the window
  const struct {
    const char* name;
    std::string text;
    const char* phone_action;
  } rows[] = {
      {"both nearby", "my patient with pneumonia, call 617-555-0142", "warn"},
      {"no health information", "my patient, call 617-555-0142", "info"},
      {"no patient cue", "pneumonia clinic: call 617-555-0142", "info"},
      {"direct identifier is patient evidence", "MRN 12345678 pneumonia 617-555-0142", "warn"},
      // In a short post evidence anywhere counts; in a long one it must be near.
      {"short post, far apart", "my patient. " + std::string(200, ' ') + "pneumonia 617-555-0142",
       "warn"},
      {"long post, far apart", "my patient, pneumonia" + filler + " call 617-555-0142", "info"},
      {"long post, nearby", filler + " my patient, pneumonia, call 617-555-0142", "warn"},
  };
  Scanner scanner(Rules());
  for (const auto& row : rows) {
    EXPECT_EQ(ActionOf(scanner, row.text, "t.phone"), row.phone_action) << row.name;
  }
}

// Names and patient details point at a person by themselves: they need health evidence
// only, and they are patient evidence for the identifiers around them.
TEST(Linkage, PersonFindingsNeedHealthEvidenceAndLinkOthers) {
  const std::string filler(400, '.');
  const struct {
    const char* name;
    std::string text;
    const char* name_action;
    const char* phone_action;
  } rows[] = {
      {"name with health", "Renata has pneumonia", "warn", "none"},
      {"name without health", "Renata won the raffle", "info", "none"},
      {"care cue is health evidence", "Renata missed her appointment", "warn", "none"},
      {"name links a phone", "Renata, pneumonia, 617-555-0142", "warn", "warn"},
      // A name with another kind of identifier is one person's, health word or not.
      {"name and phone are one person's", "Renata: 617-555-0142", "warn", "warn"},
      {"name and phone far apart", "Renata" + filler + " 617-555-0142", "info", "info"},
      {"demoted name is no patient evidence", "Dr. Renata on pneumonia: 617-555-0142", "none",
       "info"},
      {"long post, name far from health", "Renata" + filler + " pneumonia", "info", "none"},
      // Staff cues speak for their own clause.
      {"staff cue next to the phone", "my patient with pneumonia. Call 617-555-0142 to book",
       "none", "info"},
      {"staff cue far from the phone",
       "my patient with pneumonia, 617-555-0142." + std::string(60, ' ') + "Call to book", "none",
       "warn"},
      // Adjacent words that make a place or an organisation of a given name.
      {"place before", "Port Renata pneumonia clinic", "none", "none"},
      {"organisation after", "Renata Memorial pneumonia ward", "none", "none"},
      {"organisation after, sentence end", "pneumonia at Renata Memorial.", "none", "none"},
      {"other word after", "Renata: pneumonia again", "warn", "none"},
  };
  Scanner scanner(Rules());
  for (const auto& row : rows) {
    EXPECT_EQ(ActionOf(scanner, row.text, "t.name"), row.name_action) << row.name;
    EXPECT_EQ(ActionOf(scanner, row.text, "t.phone"), row.phone_action) << row.name;
  }
}

// Pairs need a name, and a date pairs with nothing: an organiser's name beside an event's
// date is the commonest pair in posts about no patient.
TEST(Linkage, IdentifierPairsNeedANameOrAnAgeAndNoDate) {
  Scanner scanner(Rules());
  // An age over 89 points at one person as a name does.
  EXPECT_EQ(ActionOf(scanner, "write it down: 617-555-0142, she's 94", "t.phone"), "warn");
  EXPECT_EQ(ActionOf(scanner, "write it down: 617-555-0142, she's 94", "t.age"), "warn");
  EXPECT_EQ(ActionOf(scanner, "she's 94 on 03/14/2024", "t.age"), "info");
  EXPECT_EQ(ActionOf(scanner, "Renata on 03/14/2024", "t.name"), "info");
  EXPECT_EQ(ActionOf(scanner, "Renata on 03/14/2024", "t.date"), "info");
  EXPECT_EQ(ActionOf(scanner, "my patient: 03/14/2024, 617-555-0142", "t.phone"), "info");
  EXPECT_EQ(ActionOf(scanner, "Renata announced it: 617-555-0142", "t.name"), "info");
  // A suppressed name is nobody's pair: the phone beside it is not a patient's either.
  EXPECT_EQ(ActionOf(scanner, "Renata announced it: 617-555-0142", "t.phone"), "info");
  // A date of birth is a person's, unlike an event's date: it pairs like a name.
  EXPECT_EQ(ActionOf(scanner, "Renata, DOB 03/14/1944", "t.name"), "warn");
  EXPECT_EQ(ActionOf(scanner, "Renata, DOB 03/14/1944", "t.date"), "warn");
  EXPECT_EQ(ActionOf(scanner, "617-555-0142, born 03/14/1944", "t.phone"), "warn");
  EXPECT_EQ(ActionOf(scanner, "617-555-0142, due 03/14/2024", "t.phone"), "info");
}

// Two room references, one marked `pairs_like_name`, a phone, a health term and a cue about
// who a person is.
std::shared_ptr<const CompiledRules> RoomRules() {
  return CompileInline(PackJson(R"j([
    {"id":"t.lady","title":"t","category":"patient_detail","kind":"phi","severity":"medium",
     "action":"warn","linkage":"person","pairs_like_name":true,"pattern":"the lady in \\d",
     "message":"m","examples":["the lady in 5"]},
    {"id":"t.man","title":"t","category":"patient_detail","kind":"phi","severity":"medium",
     "action":"warn","linkage":"person","pattern":"the man in \\d","message":"m",
     "examples":["the man in 5"]},
    {"id":"t.phone","title":"t","category":"phone","kind":"phi","severity":"medium",
     "action":"warn","linkage":"patient_health","pattern":"\\d{3}-\\d{3}-\\d{4}",
     "message":"m","examples":["617-555-0142"]},
    {"id":"t.health","title":"t","category":"health","kind":"health","severity":"low",
     "action":"info","terms":["pneumonia"],"message":"m","examples":["pneumonia"]},
    {"id":"t.praise","title":"staff recognition","category":"cue","kind":"cue",
     "severity":"low","action":"info","evidence":"not_patient","yields_to_patient":true,
     "terms":["shoutout to our"],"message":"m","examples":["shoutout to our"]}])j"));
}

// A room reference points at one person: it pairs with another identifier as a name does,
// and a cue about who someone is speaks of the other person in the sentence, not of it.
TEST(Linkage, RoomReferencesPairLikeNamesAndStaffCuesDoNotLowerThem) {
  Scanner scanner(RoomRules());
  EXPECT_EQ(ActionOf(scanner, "the lady in 5 left 617-555-0142", "t.lady"), "warn");
  EXPECT_EQ(ActionOf(scanner, "the lady in 5 left 617-555-0142", "t.phone"), "warn");
  EXPECT_EQ(ActionOf(scanner, "the man in 5 left 617-555-0142", "t.man"), "info");
  EXPECT_EQ(ActionOf(scanner, "the man in 5 left 617-555-0142", "t.phone"), "info");
  EXPECT_EQ(
      ActionOf(scanner, "shoutout to our Kiara, who saw the lady in 5 had pneumonia", "t.lady"),
      "warn");
  EXPECT_EQ(ActionOf(scanner, "shoutout to our Kiara, who saw the man in 5 had pneumonia", "t.man"),
            "info");
}

// A name, a town, an address with a house number, a picture, a health term, a patient cue
// and a room reference.
std::shared_ptr<const CompiledRules> PlaceRules() {
  return CompileInline(PackJson(R"j([
    {"id":"t.name","title":"t","category":"name","kind":"phi","severity":"high",
     "action":"warn","linkage":"person","terms":["Renata"],"message":"m","examples":["Renata"]},
    {"id":"t.town","title":"t","category":"geo","kind":"phi","severity":"high",
     "action":"warn","linkage":"person","terms":["Linden Falls"],"message":"m",
     "examples":["Linden Falls"]},
    {"id":"t.street","title":"t","category":"geo","kind":"phi","severity":"high",
     "action":"warn","linkage":"person","pattern":"\\d{2,5} Birch Ave","message":"m",
     "examples":["412 Birch Ave"]},
    {"id":"t.spa","title":"t","category":"geo","kind":"phi","severity":"high",
     "action":"warn","linkage":"person","pattern":"\\d{1,3} Renata Springs","message":"m",
     "examples":["12 Renata Springs"]},
    {"id":"t.pic","title":"t","category":"photo","kind":"phi","severity":"high",
     "action":"warn","linkage":"person","terms":["pic of"],"message":"m",
     "examples":["pic of"]},
    {"id":"t.health","title":"t","category":"health","kind":"health","severity":"low",
     "action":"info","terms":["pneumonia"],"message":"m","examples":["pneumonia"]},
    {"id":"t.cue","title":"t","category":"cue","kind":"cue","severity":"low","action":"info",
     "evidence":"patient_health","terms":["my patient"],"message":"m",
     "examples":["my patient"]},
    {"id":"t.room","title":"t","category":"patient_detail","kind":"phi","severity":"medium",
     "action":"warn","linkage":"person","pairs_like_name":true,"pattern":"the man in \\d",
     "message":"m","examples":["the man in 5"]}])j"));
}

// A town or a picture beside a name is one person's only where care is near: everyday posts
// name friends, places and photos together. A house number makes a place an address, which
// pairs anywhere.
TEST(Linkage, APlaceOrAPicturePairsWithANameOnlyNearCare) {
  Scanner scanner(PlaceRules());
  EXPECT_EQ(ActionOf(scanner, "weekend with Renata in Linden Falls", "t.name"), "info");
  EXPECT_EQ(ActionOf(scanner, "weekend with Renata in Linden Falls", "t.town"), "info");
  EXPECT_EQ(ActionOf(scanner, "pic of Renata at the lake", "t.name"), "info");
  EXPECT_EQ(ActionOf(scanner, "pic of Renata at the lake", "t.pic"), "info");
  EXPECT_EQ(ActionOf(scanner, "Renata moved to 412 Birch Ave", "t.name"), "warn");
  EXPECT_EQ(ActionOf(scanner, "Renata moved to 412 Birch Ave", "t.street"), "warn");
  // A name inside a place is one phrase read two ways, not two identifiers.
  EXPECT_EQ(ActionOf(scanner, "we moved to 12 Renata Springs", "t.spa"), "info");
  EXPECT_EQ(ActionOf(scanner, "Renata moved to 12 Renata Springs", "t.spa"), "warn");
  // Care anywhere in a short post: a patient cue, or a room reference, restores the pair.
  EXPECT_EQ(ActionOf(scanner, "my patient Renata, home in Linden Falls", "t.town"), "warn");
  EXPECT_EQ(ActionOf(scanner, "pic of Renata, the man in 5 took it", "t.pic"), "warn");
  // In a long post the care must be near the place, not only somewhere in the text.
  const std::string filler(400, '.');
  EXPECT_EQ(ActionOf(scanner, "pneumonia" + filler + " Renata in Linden Falls", "t.town"), "info");
  EXPECT_EQ(ActionOf(scanner, filler + " Renata in Linden Falls with pneumonia", "t.town"), "warn");
}

// A name's pair is looked for past the other names beside it (a run of one category is
// stepped over whole), and only within the pair window.
TEST(Linkage, IdentifierPairsAreFoundPastARunOfNames) {
  Scanner scanner(Rules());
  const std::string long_post(400, '.');
  const auto names = [](int count) {
    std::string text;
    for (int i = 0; i < count; ++i) text += " Renata";
    return text;
  };
  // The first name is 63 bytes from the phone, then 203.
  EXPECT_EQ(ActionOf(scanner, long_post + names(10) + " 617-555-0142" + names(3), "t.name"),
            "warn");
  EXPECT_EQ(ActionOf(scanner, long_post + names(30) + " 617-555-0142" + names(3), "t.name"),
            "info");
  EXPECT_EQ(ActionOf(scanner, long_post + names(30) + " 617-555-0142", "t.phone"), "warn");
}

TEST(Linkage, NotPatientCuesKeepNearbyLinkedFindingsAtInfoAndSayWhy) {
  const std::string filler(100, ' ');
  Scanner scanner(Rules());
  EXPECT_EQ(ActionOf(scanner, "Renata has pneumonia", "t.name"), "warn");
  EXPECT_EQ(ActionOf(scanner, "Renata announced she has pneumonia", "t.name"), "info");
  // Outside the suppressor's reach the name is linked again.
  EXPECT_EQ(ActionOf(scanner, "announced" + filler + "Renata has pneumonia", "t.name"), "warn");
  // A direct identifier is never suppressed: an MRN is a patient's whatever the sentence says.
  EXPECT_EQ(ActionOf(scanner, "announced MRN 12345678 pneumonia", "t.mrn"), "block");
  for (const auto& f : scanner.Scan("Renata announced she has pneumonia").findings) {
    if (f.rule->id != "t.name") continue;
    ASSERT_FALSE(f.context_words.empty());
    EXPECT_EQ(f.context_words.back(), "-linkage: not a patient (a public disclosure)");
  }
}

// A colleague a staff cue names is staff wherever the post names them again.
TEST(Linkage, ANameAStaffCueLowersIsStaffEverywhereInThePost) {
  Scanner scanner(Rules());
  const std::string far(100, '.');
  const std::string text = "to book Renata call us" + far + " we love you Renata, pneumonia";
  std::vector<std::string> actions;
  for (const auto& f : scanner.Scan(text).findings) {
    if (f.rule->id == "t.name") actions.emplace_back(rules::ToString(f.action));
  }
  EXPECT_EQ(actions, (std::vector<std::string>{"info", "info"}));
  EXPECT_EQ(ActionOf(scanner, far + " we love you Renata, pneumonia", "t.name"), "warn");
}

TEST(Linkage, NamesTheLinkingEvidenceOnlyWhenAsked) {
  Scanner scanner(Rules());
  const auto words = [&](std::string_view text) {
    for (const auto& f : scanner.Scan(text).findings) {
      if (f.rule->id == "t.phone") return f.context_words;
    }
    return std::vector<std::string>{};
  };
  const std::string text = "my patient with pneumonia, call 617-555-0142";
  for (const auto& word : words(text)) EXPECT_FALSE(word.starts_with("+linkage:")) << word;
  scanner.NameLinkEvidence(true);
  const auto named = words(text);
  ASSERT_FALSE(named.empty());
  EXPECT_EQ(named.back(), "+linkage: health 'pneumonia', patient 'my patient'");
}

// Suppressors about who a person is yield to a nearer "patient_health" cue; suppressors
// about the post's frame (teaching, history) do not; a cue over the finding's own words
// is not a witness.
std::shared_ptr<const CompiledRules> SuppressorRules() {
  return CompileInline(PackJson(R"j([
    {"id":"t.name","title":"t","category":"name","kind":"phi","severity":"high",
     "action":"warn","linkage":"person","terms":["Yusuf"],"message":"m","examples":["Yusuf"]},
    {"id":"t.room","title":"t","category":"patient_detail","kind":"phi","severity":"medium",
     "action":"warn","linkage":"person","pattern":"room \\d+","message":"m",
     "examples":["room 12"]},
    {"id":"t.health","title":"t","category":"health","kind":"health","severity":"low",
     "action":"info","terms":["pneumonia"],"message":"m","examples":["pneumonia"]},
    {"id":"t.pt","title":"t","category":"cue","kind":"cue","severity":"low","action":"info",
     "evidence":"patient_health","pattern":"\\b(?:pt|room \\d+)\\b","message":"m",
     "examples":["pt"]},
    {"id":"t.thanks","title":"staff thanks","category":"cue","kind":"cue","severity":"low",
     "action":"info","evidence":"not_patient","yields_to_patient":true,
     "terms":["shoutout to our"],"message":"m","examples":["shoutout to our"]},
    {"id":"t.teaching","title":"teaching","category":"cue","kind":"cue","severity":"low",
     "action":"info","evidence":"not_patient","terms":["scenario"],"message":"m",
     "examples":["scenario"]}])j"));
}

TEST(Linkage, StaffSuppressorsYieldToANearerPatientCueFrameSuppressorsDoNot) {
  Scanner scanner(SuppressorRules());
  EXPECT_EQ(ActionOf(scanner, "shoutout to our Yusuf, pneumonia", "t.name"), "info");
  EXPECT_EQ(ActionOf(scanner, "shoutout to our old pt Yusuf, pneumonia", "t.name"), "warn");
  // The patient cue is farther than the suppressor: the suppressor speaks for the name.
  EXPECT_EQ(ActionOf(scanner, "Yusuf shoutout to our team, pt with pneumonia", "t.name"), "info");
  EXPECT_EQ(ActionOf(scanner, "scenario: pt Yusuf has pneumonia", "t.name"), "info");
  // "room 12" is the finding and the cue at once: it does not outvote the suppressor.
  EXPECT_EQ(ActionOf(scanner, "shoutout to our room 12 pneumonia", "t.room"), "info");
}

// The post-wide tests' name and health rules: "Dan" linked to a patient, "chemo" as health.
constexpr const char* kDanAndChemo = R"j(
    {"id":"t.name","title":"t","category":"name","kind":"phi","severity":"high",
     "action":"warn","linkage":"person","terms":["Dan"],"message":"m","examples":["Dan"]},
    {"id":"t.health","title":"t","category":"health","kind":"health","severity":"low",
     "action":"info","terms":["chemo"],"message":"m","examples":["chemo"]},)j";

// A "post_wide" cue about the poster's own life speaks for a whole post that never names a
// patient, and for nothing once a patient_health cue appears anywhere in it.
TEST(Linkage, PostWideCuesReachTheWholePostOnlyWithoutPatientCues) {
  const auto rules = CompileInline(PackJson(std::string("[") + kDanAndChemo + R"j(
    {"id":"t.pt","title":"t","category":"cue","kind":"cue","severity":"low","action":"info",
     "evidence":"patient_health","terms":["my patient"],"message":"m","examples":["my patient"]},
    {"id":"t.story","title":"own story","category":"cue","kind":"cue","severity":"low",
     "action":"info","evidence":"not_patient","post_wide":true,"yields_to_patient":true,"caseless":true,
     "terms":["i was diagnosed"],
     "message":"m","examples":["i was diagnosed"]},
    {"id":"t.frame","title":"said to be no patient","category":"cue","kind":"cue",
     "severity":"low","action":"info","evidence":"not_patient","post_wide":true,
     "terms":["not my patient"],"message":"m","examples":["not my patient"]}])j"));
  Scanner scanner(rules);
  const std::string far(200, ' ');
  // A cue that holds counts though a nearer one yields: the nearest is not the only one.
  EXPECT_EQ(ActionOf(scanner, "I was diagnosed like my patient Dan, chemo" + far + "not my patient",
                     "t.name"),
            "info");
  EXPECT_EQ(ActionOf(scanner, "I was diagnosed in May." + far + "Dan drove me to chemo", "t.name"),
            "info");
  EXPECT_EQ(
      ActionOf(scanner, "I was diagnosed in May." + far + "my patient Dan has chemo", "t.name"),
      "warn");  // Beside a patient cue it does not speak even for its own clause.
  EXPECT_EQ(ActionOf(scanner, "I was diagnosed like my patient Dan, chemo", "t.name"), "warn");
}

// A patient cue inside the own words of a post-wide cue with `yields_outside_own_words`
// ("we cannot confirm whether anyone is a patient") is that cue speaking: the cue yields
// only to a patient cue outside it. Without the field, its own words make it yield.
TEST(Linkage, PostWideCuesCanYieldOnlyToPatientCuesOutsideTheirOwnWords) {
  const auto rules = CompileInline(PackJson(std::string("[") + kDanAndChemo + R"j(
    {"id":"t.pt","title":"t","category":"cue","kind":"cue","severity":"low","action":"info",
     "evidence":"patient_health","terms":["a patient", "your results"],"message":"m",
     "examples":["a patient"]},
    {"id":"t.careful","title":"careful reply","category":"cue","kind":"cue","severity":"low",
     "action":"info","evidence":"not_patient","post_wide":true,"yields_to_patient":true,
     "yields_outside_own_words":true,
     "caseless":true,"terms":["cannot confirm whether anyone is a patient"],
     "message":"m","examples":["cannot confirm whether anyone is a patient"]},
    {"id":"t.family","title":"family","category":"cue","kind":"cue","severity":"low",
     "action":"info","evidence":"not_patient","post_wide":true,"yields_to_patient":true,
     "caseless":true,"terms":["thanks to a patient family"],
     "message":"m","examples":["thanks to a patient family"]}])j"));
  Scanner scanner(rules);
  EXPECT_EQ(ActionOf(scanner, "thanks to a patient family of Dan, chemo", "t.name"), "warn");
  EXPECT_EQ(
      ActionOf(scanner, "We cannot confirm whether anyone is a patient. Thanks Dan, chemo info",
               "t.name"),
      "info");
  EXPECT_EQ(
      ActionOf(scanner, "We cannot confirm whether anyone is a patient. Dan, your results: chemo",
               "t.name"),
      "warn");
}

// A bare room number (`locates_only`) says where someone is cared for, not who: in a story
// of the poster's own family it is the relative's room, and the story still speaks for the
// post. A room reference that names a person around it ("the guy in bed 9") is a witness
// again, as is any other patient cue.
TEST(Linkage, ABareRoomNumberDoesNotMakeTheOwnFamilyStoryYield) {
  const auto rules = CompileInline(PackJson(std::string("[") + kDanAndChemo + R"j(
    {"id":"t.bed","title":"t","category":"cue","kind":"cue","severity":"low","action":"info",
     "evidence":"patient_health","locates_only":true,"pattern":"bed \\d","message":"m",
     "examples":["bed 9"]},
    {"id":"t.guy","title":"t","category":"patient_detail","kind":"phi","severity":"medium",
     "action":"warn","linkage":"person","pairs_like_name":true,"pattern":"the guy in bed \\d",
     "message":"m","examples":["the guy in bed 9"]},
    {"id":"t.bed_verb","title":"t","category":"patient_detail","kind":"phi","severity":"medium",
     "action":"warn","linkage":"person","pairs_like_name":true,"pattern":"bed \\d has",
     "message":"m","examples":["bed 9 has"]},
    {"id":"t.pt","title":"t","category":"cue","kind":"cue","severity":"low","action":"info",
     "evidence":"patient_health","terms":["my patient"],"message":"m","examples":["my patient"]},
    {"id":"t.family","title":"own family","category":"cue","kind":"cue","severity":"low",
     "action":"info","evidence":"not_patient","post_wide":true,"yields_to_patient":true,
     "caseless":true,"terms":["my husband"],"message":"m","examples":["my husband"]}])j"));
  Scanner scanner(rules);
  const std::string far(200, ' ');
  EXPECT_EQ(ActionOf(scanner, "Pray for my husband Dan, chemo today, he is in bed 9", "t.name"),
            "info");
  EXPECT_EQ(
      ActionOf(scanner, "Pray for my husband." + far + "Dan in the guy in bed 9, chemo", "t.name"),
      "warn");
  EXPECT_EQ(
      ActionOf(scanner, "Pray for my husband." + far + "my patient Dan, chemo, bed 9", "t.name"),
      "warn");
  // Only words before the number name someone: a verb after it is the room itself.
  EXPECT_EQ(
      ActionOf(scanner, "Pray for my husband Dan, chemo today, bed 9 has been home", "t.name"),
      "info");
}

// Words in quotation marks are someone else's: a reply quoting a reviewer's "I was
// diagnosed" is not the poster's own story. A quote that runs past 400 bytes is taken for a
// stray mark, and the cue speaks again.
TEST(Linkage, QuotedWordsAreNotThePostersOwn) {
  const auto rules = CompileInline(PackJson(std::string("[") + kDanAndChemo + R"j(
    {"id":"t.story","title":"own story","category":"cue","kind":"cue","severity":"low",
     "action":"info","evidence":"not_patient","post_wide":true,"caseless":true,
     "terms":["i was diagnosed"],"message":"m","examples":["i was diagnosed"]}])j"));
  Scanner scanner(rules);
  EXPECT_EQ(ActionOf(scanner, "I was diagnosed in May. Dan drove me to chemo", "t.name"), "info");
  EXPECT_EQ(
      ActionOf(scanner, "Replying to Dan: \"I was diagnosed in May\" - chemo went well", "t.name"),
      "warn");
  EXPECT_EQ(
      ActionOf(scanner, "Dan: \u201cI was diagnosed in May\u201d - chemo went well", "t.name"),
      "warn");  // curly marks are folded to straight ones before linkage
  const std::string long_quote(420, 'x');
  EXPECT_EQ(ActionOf(scanner, "\"I was diagnosed " + long_quote + "\" Dan, chemo", "t.name"),
            "info");
  // A message pasted in single marks after a colon, to the end of its line, is quoted too;
  // an apostrophe ("don't", "Dan's") is not a quotation mark.
  EXPECT_EQ(
      ActionOf(scanner, "fwd from the front desk: 'I was diagnosed in May. Dan, chemo'", "t.name"),
      "warn");
  EXPECT_EQ(ActionOf(scanner, "I was diagnosed in May and don't know why. Dan's chemo", "t.name"),
            "info");
}

TEST(Linkage, ExplainQuotesTheSuppressingCue) {
  Scanner scanner(SuppressorRules());
  scanner.NameLinkEvidence(true);
  for (const auto& f : scanner.Scan("scenario: Yusuf has pneumonia").findings) {
    if (f.rule->id != "t.name") continue;
    ASSERT_FALSE(f.context_words.empty());
    EXPECT_EQ(f.context_words.back(), "-linkage: not a patient (teaching 'scenario')");
  }
}

TEST(Linkage, DirectIdentifiersKeepTheirActionAndCuesAreNeverReported) {
  Scanner scanner(Rules());
  const auto output = scanner.Scan("MRN 12345678 and my patient");
  ASSERT_EQ(output.findings.size(), 1u);
  EXPECT_EQ(output.findings[0].rule->id, "t.mrn");
  EXPECT_EQ(output.findings[0].action, rules::Action::kBlock);
  ASSERT_EQ(output.cues.size(), 1u);
  EXPECT_EQ(output.cues[0].rule->id, "t.cue");
}

}  // namespace
}  // namespace phiguard::scan
