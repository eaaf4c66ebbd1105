#pragma once
// The device field of audit records, chosen by `audit.device_identity` in the machine
// configuration: none (no field), hashed (pseudonymous: the same machine and user always
// give the same value, which a SIEM can count and group without reading a name) or
// hostname_user (in clear, for organisations whose records already name the user).

#include <string>
#include <string_view>

#include "config/host_config.h"

namespace phiguard::audit {

// "" for none; "h:" and 32 hex digits of BLAKE2b over "hostname/user" for hashed;
// "hostname/user" for hostname_user. Characters outside letters, digits and . _ - are
// replaced by '_' so the value always passes the report's validation.
std::string DeviceIdentityValue(config::DeviceIdentity identity, std::string_view hostname,
                                std::string_view user);

// The same for this process: gethostname() and the user of the real uid.
std::string ThisDevice(config::DeviceIdentity identity);

}  // namespace phiguard::audit
