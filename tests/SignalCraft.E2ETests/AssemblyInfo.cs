[assembly: AssemblyFixture(typeof(SignalCraft.E2ETests.TestHost.BrowserFixture))]
