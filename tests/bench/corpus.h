#pragma once
// Synthetic posts for benchmarks: ordinary social-media text with (or without) identifiers,
// built deterministically so runs are comparable.

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

namespace phiguard::bench {

// About `bytes` of clean marketing/staff text (no identifiers).
std::string CleanPost(std::size_t bytes);
// About `bytes` of text dense with identifiers and health words.
std::string PhiHeavyPost(std::size_t bytes);
// About `bytes` of the project's labelled posts (tests/eval/posts/*.jsonl), one after
// another: the mix of clean and PHI-bearing staff posts a long paste really is. Empty when
// the folder holds no posts.
std::string EvalPosts(std::size_t bytes);
// One text of about `bytes` per labelled post: the posts from that one on, one after
// another. Timing each in turn gives the spread over real posts that a p99 budget is about
// (one repeated synthetic text gives only its own time). Empty without posts.
std::vector<std::string> EvalPostSamples(std::size_t bytes);
// `phrase` repeated as often as it fits whole in `bytes` (the worst cases are pastes of
// one phrase).
std::string RepeatToFill(std::string_view phrase, std::size_t bytes);

}  // namespace phiguard::bench
