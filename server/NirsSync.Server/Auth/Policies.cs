namespace NirsSync.Server.Auth;

/// <summary>Names of the authorization policies (registered in Hosting/WebServices.cs).</summary>
public static class Policies
{
    /// <summary>Signed-in coaches with the admin claim.</summary>
    public const string Admin = "admin";
}
