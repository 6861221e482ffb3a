using SignalCraft.Accounts;

namespace SignalCraft.Tests.Accounts;

public sealed class MemberRulesTests
{
    private const WorkspaceRole Owner = WorkspaceRole.Owner;
    private const WorkspaceRole Admin = WorkspaceRole.Admin;
    private const WorkspaceRole Member = WorkspaceRole.Member;

    [Theory]
    [InlineData(Owner, Owner, Admin, 1, 409)] // the last owner demoting themselves
    [InlineData(Owner, Owner, Admin, 2, 0)]
    [InlineData(Owner, Member, Owner, 1, 0)]
    [InlineData(Admin, Member, Admin, 1, 0)]
    [InlineData(Admin, Admin, Member, 1, 0)]
    [InlineData(Admin, Member, Owner, 1, 403)] // only owners make owners
    [InlineData(Admin, Owner, Member, 2, 403)] // only owners touch owners
    [InlineData(Member, Member, Admin, 1, 403)]
    public void CheckRoleChange_Cases_AnswerAsExpected(WorkspaceRole caller, WorkspaceRole current, WorkspaceRole requested, int owners, int status) =>
        Assert.Equal(status, MemberRules.CheckRoleChange(caller, current, requested, owners)?.StatusCode ?? 0);

    [Theory]
    [InlineData(Owner, Owner, 1, 409)]
    [InlineData(Owner, Owner, 2, 0)]
    [InlineData(Admin, Owner, 2, 403)]
    [InlineData(Admin, Admin, 1, 0)]
    [InlineData(Member, Member, 1, 403)]
    public void CheckRemoval_Cases_AnswerAsExpected(WorkspaceRole caller, WorkspaceRole current, int owners, int status) =>
        Assert.Equal(status, MemberRules.CheckRemoval(caller, current, owners)?.StatusCode ?? 0);

    [Theory]
    [InlineData(Admin, Member, false, 0)]
    [InlineData(Admin, Member, true, 409)] // would reach into the person's other workspaces
    [InlineData(Admin, Owner, false, 403)]
    [InlineData(Owner, Owner, false, 0)]
    public void CheckResetLink_Cases_AnswerAsExpected(WorkspaceRole caller, WorkspaceRole target, bool elsewhere, int status) =>
        Assert.Equal(status, MemberRules.CheckResetLink(caller, target, elsewhere)?.StatusCode ?? 0);

    [Fact]
    public void LastOwnerViolation_Message_SaysWhatToDo() =>
        Assert.Contains("make another member an owner first", MemberRules.CheckRemoval(Owner, Owner, 1)!.Detail);
}
