import { describe, expect, it } from "vitest";
import { doctorStepReference, guideUrl } from "./guide";

const CONFIGURATION = "https://help.brightpattern.com/5.8:Microsoft-dynamics-365-integration-guide/Configuration";
const SECTION_A = `${CONFIGURATION}/EnableScenariosAccessDynamics365`;
const REFERENCE = `${CONFIGURATION}/AddIntegrationAccount`;
const CHAPTER = `${CONFIGURATION}/?action=html-localimages-export`;
const SECTION_B = `${CHAPTER}#Configuration_Section_B:_Enable_Agent_Desktop_Integration`;
const SCREEN_POP = `${CHAPTER}#Configuring_Screen_Pop_for_Preview_Campaigns`;

describe("guide references", () => {
  // Every guide step the Rust side writes into a finding (grep with_guide_step in crates/).
  it.each([
    ["Section A, step 1", `${SECTION_A}#Step_1:_Add_a_new_registered_app`],
    ["Section A, step 1.4", `${SECTION_A}#Step_1:_Add_a_new_registered_app`],
    ["Section A, step 3", `${SECTION_A}#Step_3:_Get_the_Application_(client)_ID`],
    ["Section A, Step 3", `${SECTION_A}#Step_3:_Get_the_Application_(client)_ID`],
    ["Section A, step 4", `${SECTION_A}#Step_4:_Get_the_client_secret`],
    ["Section A, step 5", `${SECTION_A}#Step_5:_Get_the_Authorization_URL_and_OAuth_2.0_token`],
    ["Section A, step 6", `${SECTION_A}#Step_6:_Add_users_to_the_app`],
    ["Section A, step 7", `${SECTION_A}#Step_7:_Add_API_access`],
    ["Section A, step 8", `${SECTION_A}#Step_8:_Complete_integration_account_properties_setup`],
    ["Section A, step 8.5", `${SECTION_A}#Step_8:_Complete_integration_account_properties_setup`],
    ["Section A, steps 3 and 5", `${SECTION_A}#Step_3:_Get_the_Application_(client)_ID`],
    ["Section A, steps 7 and 8.6", `${SECTION_A}#Step_7:_Add_API_access`],
    ["Section A, steps 8 and 8.6", `${SECTION_A}#Step_8:_Complete_integration_account_properties_setup`],
    ["Reference, Step 2", `${REFERENCE}#Step_2:_Edit_properties`],
    ["Reference, Step 2, API URL", `${REFERENCE}#Step_2:_Edit_properties`],
    ["Reference: How to Add an Integration Account, API URL", REFERENCE],
    ["Section B, step 3", `${CHAPTER}#3._Configure_Channel_Integration_Framework_app`],
    ["Configuring Screen Pop for Preview Campaigns, step 1", `${CHAPTER}#1._Create_a_list_with_a_column_for_Dynamics_object_IDs`],
    ["Configuring Screen Pop for Preview Campaigns, step 2a", `${CHAPTER}#2a._Configure_the_Screenpop_URL`],
    ["Configuring Screen Pop for Preview Campaigns, Troubleshooting", `${CHAPTER}#Troubleshooting`],
  ])("links the finding's %s", (reference, url) => {
    expect(guideUrl(reference)).toBe(url);
  });

  it("links the pages' references, the Reference's save step at its heading", () => {
    expect(guideUrl("Configuration Section A, steps 1\u20138")).toBe(`${SECTION_A}#Step_1:_Add_a_new_registered_app`);
    expect(guideUrl("Section A, step 2")).toBe(`${SECTION_A}#Step_2:_In_Bright_Pattern,_create_a_Dynamics_365_integration_account`);
    expect(guideUrl("Reference, step 3")).toBe(`${REFERENCE}#Step_3:_Save!`);
    expect(guideUrl("Configuration Section B, step 3: Configure Channel Integration Framework app")).toBe(
      `${CHAPTER}#3._Configure_Channel_Integration_Framework_app`,
    );
    expect(guideUrl("Configuring Screen Pop for Preview Campaigns, step 2a, and Troubleshooting")).toBe(`${CHAPTER}#2a._Configure_the_Screenpop_URL`);
    expect(guideUrl("The configuration guide: Sections A and B, the Reference and screen pop")).toBe(CHAPTER);
  });

  it("opens Section B's and screen pop's steps at their own heading in the chapter, else at the section's", () => {
    expect(guideUrl("Section B, step 1")).toBe(`${CHAPTER}#1._Install_Channel_Integration_Framework_app`);
    expect(guideUrl("Section B, step 2")).toBe(`${CHAPTER}#2._Install_Bright_Pattern_Omnichannel_Contact_Center_Solution_app`);
    expect(guideUrl("Section B, step 4")).toBe(`${CHAPTER}#4._Configure_Click-to-Call_functionality_(optional)`);
    expect(guideUrl("Section B, step 5")).toBe(`${CHAPTER}#5._Add_Bright_Pattern_activity_history_fields_to_forms_(optional)`);
    expect(guideUrl("Configuring Screen Pop for Preview Campaigns, step 2")).toBe(`${CHAPTER}#2._Configure_an_outbound_Preview_campaign`);
    expect(guideUrl("Configuring Screen Pop for Preview Campaigns, step 3")).toBe(`${CHAPTER}#3._Start_the_campaign`);
    // A step the section lacks, or none: the section's own heading.
    expect(guideUrl("Section B, step 9")).toBe(SECTION_B);
    expect(guideUrl("Configuration Section B")).toBe(SECTION_B);
    expect(guideUrl("Configuring Screen Pop for Preview Campaigns")).toBe(SCREEN_POP);
  });

  it("leaves a reference it does not know as text", () => {
    expect(guideUrl("Enable Single Sign-On")).toBeNull();
    expect(guideUrl("the Bright Pattern solution's notes")).toBeNull();
    expect(guideUrl("")).toBeNull();
  });

  it("names the guide step of each Doctor step, and links none it does not know", () => {
    expect(doctorStepReference("A4")).toBe("Section A, step 4");
    expect(doctorStepReference("B3")).toBe("Section B, step 3");
    expect(guideUrl(doctorStepReference("A1"))).toBe(`${SECTION_A}#Step_1:_Add_a_new_registered_app`);
    expect(guideUrl(doctorStepReference("B3"))).toBe(`${CHAPTER}#3._Configure_Channel_Integration_Framework_app`);
    expect(guideUrl(doctorStepReference("SP"))).toBe(SCREEN_POP);
    expect(guideUrl(doctorStepReference("C9"))).toBeNull();
  });
});
