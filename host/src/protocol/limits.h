#pragma once
// Limits on every input (docs/design.md "Privacy and security invariants"). Documented in
// SECURITY.md. tests/e2e/bad_input_matrix.py sends the host texts and frames either side of
// the caps; in tests/unit/request_handler_test.cc, RequestHandler.TextOverTheLimitIsTooLarge
// and RequestHandler.ManyFindingsAreTruncatedToTheMostSevereAndFitTheReplyCap hold the text,
// findings and reply caps, RequestHandler.AnswersEveryMalformedRequestWithTheRightCode the
// JSON depth.

#include <cstddef>

namespace phiguard::protocol {

// A request frame larger than this is refused with too_large before anything is allocated.
// Chrome allows 64 MiB browser-to-host; a post is far smaller, and 8 MiB keeps a whole
// pasted document scannable.
inline constexpr std::size_t kMaxRequestFrameBytes = 8 * 1024 * 1024;
// The text of one scan, in UTF-8 bytes.
inline constexpr std::size_t kMaxTextBytes = 4 * 1024 * 1024;
// Chrome refuses host-to-browser messages of 1 MiB or more; replies stay under this.
inline constexpr std::size_t kMaxReplyBytes = 1024 * 1024 - 1024;
// Findings in one reply; more are cut (most severe kept) and the reply says truncated.
inline constexpr std::size_t kMaxFindingsPerReply = 2000;
// JSON nesting in a request; deeper documents are refused as bad_json.
inline constexpr std::size_t kMaxJsonDepth = 32;
// The organisation's allow-list in `configure` (policy.allowList): entries, and UTF-8 bytes
// per entry. Staff names and the organisation's own numbers and addresses fit easily; a longer
// list or entry is refused as bad_request naming the field, and the rest of configure with it.
inline constexpr std::size_t kMaxAllowListEntries = 1000;
inline constexpr std::size_t kMaxAllowListEntryBytes = 200;

}  // namespace phiguard::protocol
