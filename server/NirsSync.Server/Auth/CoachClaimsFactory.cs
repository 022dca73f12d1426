using System.Security.Claims;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.Options;
using NirsSync.Data;

namespace NirsSync.Server.Auth;

/// <summary>Adds the admin claim to a signed-in coach's cookie.</summary>
internal sealed class CoachClaimsFactory(UserManager<CoachUser> users, IOptions<IdentityOptions> options)
    : UserClaimsPrincipalFactory<CoachUser>(users, options)
{
    protected override async Task<ClaimsIdentity> GenerateClaimsAsync(CoachUser user)
    {
        var identity = await base.GenerateClaimsAsync(user);
        if (user.IsAdmin) identity.AddClaim(new Claim(Viewer.AdminClaim, "true"));
        return identity;
    }
}
