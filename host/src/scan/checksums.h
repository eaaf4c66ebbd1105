#pragma once
// Check-digit algorithms behind the validators. Inputs are ASCII digit strings (or, for
// the alphanumeric schemes, upper-case ASCII); callers strip separators first.

#include <string>
#include <string_view>

namespace phiguard::scan {

// Keeps the ASCII digits of `text`, dropping everything else.
std::string DigitsOf(std::string_view text);
// Keeps ASCII letters (upper-cased) and digits, dropping separators.
std::string AlnumUpperOf(std::string_view text);

bool LuhnValid(std::string_view digits);
// NANP area/exchange rules on 10 digits.
bool NanpValid(std::string_view ten_digits);
// The length of an IBAN from `country` (two upper-case letters); 0 for a country without
// IBANs.
std::size_t IbanLength(std::string_view country);
// Country, length for that country, and mod 97 over the rearranged letters and digits.
bool IbanValid(std::string_view alnum_upper);
// ABA routing number: weights 3,7,1 sum to a multiple of 10, valid Federal Reserve prefix.
bool AbaValid(std::string_view nine_digits);
// NHS number: weights 10..2, mod 11.
bool NhsValid(std::string_view ten_digits);
// VIN: transliteration, weights, check digit at position 9.
bool VinValid(std::string_view alnum_upper);
// DEA registration: two letters, seven digits, check digit.
bool DeaValid(std::string_view alnum_upper);

}  // namespace phiguard::scan
