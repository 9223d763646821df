// The app's pages, in navigation order, each with what it is for in plain words.
import type { ComponentType } from "react";
import type { FluentIcon } from "@fluentui/react-icons";
import { AccountsPage } from "./accounts/AccountsPage";
import { ChannelPage } from "./channel/ChannelPage";
import { DoctorPage } from "./doctor/DoctorPage";
import { ListsPage } from "./lists/ListsPage";
import { ScreenPopPage } from "./screenpop/ScreenPopPage";
import {
  PeopleSettingsRegular,
  PlugConnectedRegular,
  TableRegular,
  WindowNewRegular,
  StethoscopeRegular,
} from "@fluentui/react-icons";

export type PageId = "accounts" | "channel" | "lists" | "screenpop" | "doctor";

export interface PageInfo {
  id: PageId;
  title: string;
  icon: FluentIcon;
  /** One or two sentences saying what the page is for. */
  purpose: string;
  /** Where in the configuration guide the page's job is described: references as in findings, each a link. */
  guide: readonly string[];
  /** The page's working area, once the page has one. */
  body?: ComponentType;
}

export const pages: readonly PageInfo[] = [
  {
    id: "accounts",
    title: "Accounts",
    icon: PeopleSettingsRegular,
    purpose:
      "Keep your Bright Pattern \u201cMicrosoft Dynamics 365\u201d integration accounts, with the client secret and refresh token in the OS keychain. Request a token and test the connection, with every failure explained and the guide step that fixes it.",
    guide: ["Configuration Section A, steps 1\u20138", "Reference: How to Add an Integration Account"],
    body: AccountsPage,
  },
  {
    id: "channel",
    title: "Channel provider",
    icon: PlugConnectedRegular,
    purpose:
      "Build the Channel Integration Framework channel provider that embeds Bright Pattern\u2019s Agent Desktop in Dynamics 365, with the Channel URL made from your tenant and CRM domain and checked as you type.",
    guide: ["Configuration Section B, step 3: Configure Channel Integration Framework app"],
    body: ChannelPage,
  },
  {
    id: "lists",
    title: "Lists",
    icon: TableRegular,
    purpose:
      "Turn a Dynamics \u201cExport to Excel\u201d file into a Bright Pattern calling list, offline: the hidden record ID column found for you, phone numbers normalised the way Bright Pattern does, and every rejected row explained.",
    guide: ["Configuring Screen Pop for Preview Campaigns, step 1: Create a list with a column for Dynamics object IDs"],
    body: ListsPage,
  },
  {
    id: "screenpop",
    title: "Screen pop",
    icon: WindowNewRegular,
    purpose:
      "Build and test the SHOW_OBJECT screenpop URL of a preview campaign, row by row against a prepared list or with a hardcoded record ID, before an agent ever sees it.",
    guide: ["Configuring Screen Pop for Preview Campaigns, step 2a, and Troubleshooting"],
    body: ScreenPopPage,
  },
  {
    id: "doctor",
    title: "Doctor",
    icon: StethoscopeRegular,
    purpose:
      "One checklist of the configuration guide\u2019s steps, each checked against your Dynamics organization where the API can tell, with guidance for the steps only you can do.",
    guide: ["The configuration guide: Sections A and B, the Reference and screen pop"],
    body: DoctorPage,
  },
];
